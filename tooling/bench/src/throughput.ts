import os from 'node:os';
import { openDatabase } from '@parley/db';
import { LIMITS } from '@parley/protocol';
import { GeneratorProcess } from './load/generator-client.ts';
import type { StepResult, Target } from './load/generator-messages.ts';
import { signIn, startParleyWithAccounts } from './parley-fixture.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { type RunningServer, startRelay } from './servers.ts';

/**
 * Issue 6, part 2: delivered messages per second and visitor → agent latency for 1,000 concurrent conversations,
 * Parley against a bare `ws` relay and a Socket.IO relay, each in its own process, driven by a load generator in a
 * third process. The offered rate steps up until the server stops keeping up (saturation); the peak is the best
 * delivered rate seen, then half of it is offered again to measure latency below saturation.
 *
 * On 2 cores the generator competes with the server for CPU: both figures are recorded so it is clear which side
 * ran out.
 */

export const CONVERSATIONS = 1000;
export const ACCOUNTS = 10;
const TIMING = { warmupMs: 1000, measureMs: 3000, drainMs: 15_000 };
const HALF_TIMING = { warmupMs: 1000, measureMs: 5000, drainMs: 15_000 };
/** Parley limits each socket to `LIMITS.framesPerSecond` sustained: 1,000 visitors cannot offer more than this. */
const PARLEY_CEILING = Math.floor(CONVERSATIONS * LIMITS.framesPerSecond * 0.975);

interface Series {
  name: string;
  steps: StepResult[];
  peak: StepResult;
  half: StepResult;
  /** Which process ran out of CPU at the peak. */
  saturated: string;
  setupMs: number;
  errorsAtSetup: Record<string, number>;
}

const pct = (cpuMs: number | null, windowMs: number) => (cpuMs === null ? null : Math.round((cpuMs / windowMs) * 100));

function saturatedSide(step: StepResult, ceiling: number | null): string {
  const server = pct(step.serverCpuMs, step.windowMs) ?? 0;
  const generator = pct(step.generatorCpuMs, step.windowMs) ?? 0;
  if (ceiling !== null && step.rate >= ceiling && step.deliveredPerSec >= step.rate * 0.95)
    return `neither: reached the per-socket rate limit (server ${server}% CPU, generator ${generator}%)`;
  const label = server >= generator ? 'server' : 'generator';
  return `${label} (server ${server}% of a core, generator ${generator}%)`;
}

function keptUp(step: StepResult): boolean {
  return (
    step.deliveredPerSec >= step.rate * 0.95 &&
    step.delivered === step.sent &&
    step.latency.p99 < 1000 &&
    Object.keys(step.errors).length === 0
  );
}

async function measure(
  name: string,
  server: RunningServer,
  target: Omit<Target, 'name' | 'serverPid'>,
  options: { startRate: number; stepRate: number; ceiling: number | null; log: (line: string) => void },
): Promise<Series> {
  const generator = new GeneratorProcess();
  try {
    const ready = await generator.setup({ ...target, name, serverPid: server.pid });
    options.log(`${name}: ${ready.visitors} visitors, ${ready.agents} agents, ${ready.conversations} conversations in ${ready.setupMs} ms`);
    const steps: StepResult[] = [];
    for (let rate = options.startRate; ; rate += options.stepRate) {
      const capped = options.ceiling === null ? rate : Math.min(rate, options.ceiling);
      const step = await generator.step(capped, TIMING);
      steps.push(step);
      options.log(
        `  offered ${step.rate}/s → delivered ${step.deliveredPerSec}/s, p50 ${round(step.latency.p50)} ms, p99 ${round(step.latency.p99)} ms, ` +
          `server ${pct(step.serverCpuMs, step.windowMs)}% / generator ${pct(step.generatorCpuMs, step.windowMs)}% CPU` +
          (Object.keys(step.errors).length ? `, errors ${JSON.stringify(step.errors)}` : '') +
          (step.delivered < step.sent ? `, ${step.sent - step.delivered} undelivered` : ''),
      );
      if (!keptUp(step) || capped === options.ceiling) break;
    }
    const peak = steps.reduce((best, s) => (s.deliveredPerSec > best.deliveredPerSec ? s : best));
    const halfRate = Math.round(peak.deliveredPerSec / 2);
    const half = await generator.step(halfRate, HALF_TIMING);
    options.log(
      `  half of peak ${halfRate}/s → p50 ${round(half.latency.p50)} ms, p99 ${round(half.latency.p99)} ms, max ${round(half.latency.max)} ms`,
    );
    return {
      name,
      steps,
      peak,
      half,
      saturated: saturatedSide(peak, options.ceiling),
      setupMs: ready.setupMs,
      errorsAtSetup: ready.errors,
    };
  } finally {
    await generator.close();
  }
}

export async function runThroughput(log: (line: string) => void = console.log) {
  const finish = startResult('throughput');
  log(`throughput: ${CONVERSATIONS} conversations over ${ACCOUNTS} accounts, 100-byte messages, ${os.availableParallelism()} cores shared by server and generator`);

  // Parley: accounts written into its SQLite file before it starts, agents signed in over HTTP.
  const parley = await startParleyWithAccounts(ACCOUNTS);
  let parleySeries: Series;
  let persisted: number;
  let acknowledged: number;
  try {
    const origin = parley.server.baseUrl;
    const accounts = [];
    for (const account of parley.accounts) {
      const cookie = await signIn(origin, account);
      accounts.push({ publicKey: account.publicKey, agentPath: '/ws/agent', agentHeaders: { cookie, origin } });
    }
    parleySeries = await measure(
      'Parley',
      parley.server,
      {
        transport: 'ws',
        baseUrl: origin,
        accounts,
        visitorsPerAccount: CONVERSATIONS / ACCOUNTS,
        visitorHeaders: { origin: 'https://customer.example' },
        agentOpensConversations: false,
      },
      { startRate: 2000, stepRate: 2000, ceiling: PARLEY_CEILING, log },
    );
    acknowledged =
      CONVERSATIONS + [...parleySeries.steps, parleySeries.half].reduce((sum, s) => sum + s.acked, 0);
  } finally {
    await parley.server.stop();
  }
  {
    const db = openDatabase(parley.dbPath);
    persisted = (db.sqlite.prepare("SELECT count(*) AS n FROM messages WHERE author = 'visitor'").get() as { n: number }).n;
    db.sqlite.close();
    parley.dir.remove();
  }
  log(`  Parley acknowledged ${acknowledged} messages; ${persisted} visitor messages are in SQLite after the run`);

  const relays: Series[] = [];
  for (const kind of ['bare-ws', 'socketio'] as const) {
    const relay = await startRelay(kind);
    try {
      relays.push(
        await measure(
          relay.name,
          relay,
          {
            transport: kind === 'bare-ws' ? 'ws' : 'socketio',
            baseUrl: relay.baseUrl,
            accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
              publicKey: `pk_relay_${i}`,
              agentPath: `/ws/agent?account=pk_relay_${i}`,
            })),
            visitorsPerAccount: CONVERSATIONS / ACCOUNTS,
          },
          { startRate: 2000, stepRate: 2000, ceiling: null, log },
        ),
      );
    } finally {
      await relay.stop();
    }
  }
  const [bare, socketio] = relays as [Series, Series];
  const all = [parleySeries, bare, socketio];

  const vsBare = parleySeries.peak.deliveredPerSec / bare.peak.deliveredPerSec;
  const vsIo = parleySeries.peak.deliveredPerSec / socketio.peak.deliveredPerSec;
  log('');
  log(
    table(
      ['server', 'peak delivered msg/s', 'at offered', 'p50 / p99 at peak (ms)', 'half-peak p50 / p99 / max (ms)', 'server CPU at peak', 'generator CPU at peak', 'saturated'],
      all.map((s) => [
        s.name,
        s.peak.deliveredPerSec,
        s.peak.rate,
        `${round(s.peak.latency.p50)} / ${round(s.peak.latency.p99)}`,
        `${round(s.half.latency.p50)} / ${round(s.half.latency.p99)} / ${round(s.half.latency.max)}`,
        `${s.peak.serverCpuMs} ms / ${s.peak.windowMs} ms`,
        `${s.peak.generatorCpuMs} ms / ${s.peak.windowMs} ms`,
        s.saturated,
      ]),
    ),
  );
  log(`Parley / bare ws relay: ${round(vsBare, 2)}×   Parley / Socket.IO relay: ${round(vsIo, 2)}×`);
  log('(reference measured before: bare ws ≈ 26k msg/s, Socket.IO ≈ 14k msg/s = 0.53×)');

  const verdicts: Verdict[] = [
    { benchmark: 'throughput', metric: 'Parley peak delivered msg/s', value: String(parleySeries.peak.deliveredPerSec), target: '—', met: null },
    { benchmark: 'throughput', metric: 'bare ws relay peak msg/s', value: String(bare.peak.deliveredPerSec), target: '—', met: null },
    { benchmark: 'throughput', metric: 'Socket.IO relay peak msg/s', value: String(socketio.peak.deliveredPerSec), target: '—', met: null },
    { benchmark: 'throughput', metric: 'Parley / bare ws relay', value: `${round(vsBare, 2)}×`, target: '≥ 0.7×', met: vsBare >= 0.7 },
    { benchmark: 'throughput', metric: 'Parley / Socket.IO relay', value: `${round(vsIo, 2)}×`, target: '≥ 1.3×', met: vsIo >= 1.3 },
    {
      benchmark: 'throughput',
      metric: 'Parley p99 at half of peak',
      value: `${round(parleySeries.half.latency.p99)} ms`,
      target: '≤ 20 ms',
      met: parleySeries.half.latency.p99 <= 20,
    },
    {
      benchmark: 'throughput',
      metric: 'acknowledged messages persisted',
      value: `${persisted} / ${acknowledged}`,
      target: 'all',
      met: persisted >= acknowledged,
    },
  ];
  return finish(verdicts, { conversations: CONVERSATIONS, accounts: ACCOUNTS, timing: TIMING, series: all, persisted, acknowledged, vsBare, vsIo });
}

if (isMain(import.meta.url)) await runThroughput();
