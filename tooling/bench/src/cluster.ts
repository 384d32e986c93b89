import { join } from 'node:path';
import { startThrowawayRedis } from '@parley/live/testing';
import { startNginx } from '@parley/test-services/nginx';
import { startBenchPostgres } from './bench-postgres.ts';
import { fixedRateSteps, ms } from './fixed-rate.ts';
import { GeneratorProcess } from './load/generator-client.ts';
import type { StepResult } from './load/generator-messages.ts';
import { parleyDataWithAccounts } from './parley-fixture.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { freePort, type ParleyStart, startParley } from './servers.ts';
import { ACCOUNTS, CONVERSATIONS, parleyTarget } from './throughput.ts';

/**
 * Parley as a cluster on this machine, on PostgreSQL behind nginx, in three layouts at one fixed offered rate that
 * one node carries: one node with its live state (bus, presence) in its own process; one node on Redis; two nodes
 * on Redis. Visitors connect through one nginx listener and agents through another; with two nodes each listener
 * prefers its own node, so every visitor message crosses Redis from the visitor's node to the agent's. With one
 * node both listeners lead to it. The first two layouts differ by Redis alone, the last two by the second node.
 *
 * The figure is CPU per delivered message summed over everything that serves a message: the node processes,
 * PostgreSQL's whole process tree, redis-server and nginx, each read from /proc over the same windows.
 *
 * On two shared cores this cannot show scaling: the second node runs on the same two cores as the first, and the
 * generator on them too. What it shows is what Redis and the hop between nodes cost per message (CPU and latency).
 */

/** Offered messages per second; CLUSTER_RATE overrides. Low enough for one node on PostgreSQL to carry. */
const RATE = Number(process.env.CLUSTER_RATE ?? 1000);
/** Whole comparisons; CLUSTER_RUNS overrides. */
const RUNS = Number(process.env.CLUSTER_RUNS ?? 2);

type Log = (line: string) => void;

/** How the nodes are laid out: how many, and whether their live state (bus, presence) is on Redis. */
export interface Layout {
  nodes: 1 | 2;
  redis: boolean;
}

const LAYOUTS: Layout[] = [
  { nodes: 1, redis: false },
  { nodes: 1, redis: true },
  { nodes: 2, redis: true },
];

const layoutName = ({ nodes, redis }: Layout) =>
  `${nodes} node${nodes === 1 ? '' : 's'}, ${redis ? 'on Redis' : 'live state in process'}`;

export interface ClusterFigures {
  layout: string;
  deliveredPerSec: number;
  /** CPU per delivered message, µs, by process group, and in all. */
  us: { nodes: number; postgres: number; redis: number; nginx: number; total: number };
  p50: number | null;
  p99: number | null;
  undelivered: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Sums the recorded steps' CPU by process group and divides it by the messages they delivered. */
function figures(layout: string, steps: StepResult[], all: StepResult[]): ClusterFigures {
  const delivered = steps.reduce((sum, s) => sum + s.deliveredInWindow, 0);
  const windowMs = steps.reduce((sum, s) => sum + s.windowMs, 0);
  const cpu = (of: (s: StepResult) => number) =>
    round((steps.reduce((sum, s) => sum + of(s), 0) * 1000) / delivered);
  const otherNodes = (s: StepResult) =>
    Object.entries(s.otherCpuMs).reduce((sum, [name, v]) => sum + (name.startsWith('node') ? v : 0), 0);
  const us = {
    nodes: cpu((s) => (s.serverCpuMs ?? 0) + otherNodes(s)),
    postgres: cpu((s) => s.databaseCpuMs ?? 0),
    redis: cpu((s) => s.otherCpuMs.redis ?? 0),
    nginx: cpu((s) => s.otherCpuMs.nginx ?? 0),
  };
  const sampled = steps.filter((s) => s.latency.count > 0);
  return {
    layout,
    deliveredPerSec: Math.round((delivered * 1000) / windowMs),
    us: { ...us, total: round(us.nodes + us.postgres + us.redis + us.nginx) },
    p50: sampled.length ? median(sampled.map((s) => s.latency.p50)) : null,
    p99: sampled.length ? median(sampled.map((s) => s.latency.p99)) : null,
    undelivered: all.reduce((sum, s) => sum + s.sent - s.delivered, 0),
  };
}

/** One layout: a fresh PostgreSQL cluster, Redis if it says so, its nodes, nginx in front; then the fixed rate. */
async function measureLayout(layout: Layout, log: Log): Promise<ClusterFigures> {
  const postgres = await startBenchPostgres();
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>> | null = null;
  let data: Awaited<ReturnType<typeof parleyDataWithAccounts>> | null = null;
  const nodes: ParleyStart[] = [];
  try {
    if (layout.redis) redis = await startThrowawayRedis();
    data = await parleyDataWithAccounts(ACCOUNTS, postgres.url);
    for (let i = 0; i < layout.nodes; i++)
      nodes.push(
        await startParley(data.dir.path, {
          env: {
            DATABASE_URL: data.databaseUrl,
            ...(redis ? { PARLEY_REDIS_URL: redis.url } : {}),
            PARLEY_MAIL_DIR: join(data.dir.path, `mail${i}`),
          },
        }),
      );
    const [first, second = first] = nodes.map((node) => `127.0.0.1:${node.port}`) as [string, string?];
    const nginx = await startNginx([
      { port: await freePort(), nodes: second === first ? [first] : [first, second] },
      { port: await freePort(), nodes: second === first ? [first] : [second, first] },
    ]);
    try {
      const [visitorUrl, agentUrl] = nginx.urls as [string, string];
      const target = await parleyTarget(agentUrl, data.accounts);
      const generator = new GeneratorProcess();
      try {
        const name = layoutName(layout);
        const ready = await generator.setup({
          ...target,
          name,
          baseUrl: visitorUrl,
          agentBaseUrl: agentUrl,
          serverPid: nodes[0]!.pid,
          databasePid: postgres.pid,
          otherPids: {
            ...Object.fromEntries(nodes.slice(1).map((node, i) => [`node${i + 2}`, node.pid])),
            ...(redis?.pid === undefined ? {} : { redis: redis.pid }),
            nginx: nginx.pid,
          },
        });
        log(
          `${name}: ${ready.visitors} visitors, ${ready.agents} agents, ${ready.conversations} conversations in ${ready.setupMs} ms`,
        );
        const { warmup, steps } = await fixedRateSteps(generator, RATE);
        const result = figures(name, steps, [warmup, ...steps]);
        log(
          `  ${name} at ${RATE}/s → delivered ${result.deliveredPerSec}/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms; ` +
            `CPU µs/msg: nodes ${result.us.nodes} + PostgreSQL ${result.us.postgres} + Redis ${result.us.redis} + nginx ${result.us.nginx} = ${result.us.total}` +
            (result.undelivered > 0 ? `, ${result.undelivered} undelivered` : ''),
        );
        return result;
      } finally {
        await generator.close();
      }
    } finally {
      await nginx.stop();
    }
  } finally {
    for (const node of nodes) await node.stop();
    await redis?.stop();
    await postgres.stop();
    data?.dir.remove();
  }
}

const row = (r: ClusterFigures) => [
  r.layout,
  r.deliveredPerSec,
  `${ms(r.p50)} / ${ms(r.p99)}`,
  r.us.nodes,
  r.us.postgres,
  r.us.redis,
  r.us.nginx,
  r.us.total,
  r.undelivered,
];

export async function runCluster(log: Log = console.log, runs = RUNS) {
  const finish = startResult('cluster');
  log(
    `cluster: Parley on PostgreSQL behind nginx, ${CONVERSATIONS} conversations over ${ACCOUNTS} accounts, ` +
      `visitors and agents on different listeners; fixed rate ${RATE} msg/s; ${runs} runs`,
  );
  const results: ClusterFigures[][] = [];
  for (let run = 1; run <= runs; run++) {
    log(`-- run ${run} of ${runs}`);
    const figuresOfRun: ClusterFigures[] = [];
    for (const layout of LAYOUTS) figuresOfRun.push(await measureLayout(layout, log));
    results.push(figuresOfRun);
  }
  log('');
  log(
    table(
      [
        'layout',
        'delivered msg/s',
        'p50 / p99 (ms)',
        'nodes µs/msg',
        'PostgreSQL µs/msg',
        'Redis µs/msg',
        'nginx µs/msg',
        'total µs/msg',
        'undelivered',
      ],
      results.flat().map(row),
    ),
  );
  const verdicts: Verdict[] = LAYOUTS.map((layout, i) => {
    const medianOf = (of: (r: ClusterFigures) => number) => median(results.map((run) => of(run[i]!)));
    return {
      benchmark: 'cluster',
      metric: `CPU per message at ${RATE} msg/s, ${layoutName(layout)} (nodes + PostgreSQL + Redis + nginx; median of ${runs})`,
      value: `${medianOf((r) => r.us.total)} µs (p99 ${medianOf((r) => r.p99 ?? Number.NaN)} ms)`,
      target: '—',
      met: null,
    };
  });
  return finish(verdicts, { rate: RATE, runs: results });
}

if (isMain(import.meta.url)) await runCluster();
