import os from 'node:os';
import { closeDatabase, openStore } from '@parley/db';
import { countMessages } from '@parley/db/bench';
import { LIMITS } from '@parley/protocol';
import { startBenchPostgres } from './bench-postgres.ts';
import type { BenchAccount } from './fill-database.ts';
import { FIXED_RATE, measureFixedRate } from './fixed-rate.ts';
import { GeneratorProcess } from './load/generator-client.ts';
import type { Target } from './load/generator-messages.ts';
import { parleyDataWithAccounts, signIn, startParleyWithAccounts } from './parley-fixture.ts';
import { type RampSteps, rampToPeak } from './ramp.ts';
import { isMain, startResult } from './report.ts';
import { type RunningServer, startParleyWithoutStorage, startRelay } from './servers.ts';
import {
  type Run,
  runTables,
  SERVER_KEYS,
  type Series,
  type ServerKey,
  summarize,
} from './throughput-report.ts';

/**
 * Visitor → agent messages for 1,000 concurrent conversations, on Parley (on SQLite and on PostgreSQL) against a
 * bare `ws` relay and a Socket.IO relay, each in its own process, driven by a load generator in a third process.
 *
 * Each server is measured two ways on the same connections:
 * - on a ramp to its peak (`ramp.ts`), then at half of the peak for latency. THROUGHPUT_RAMP=0 leaves the ramp out;
 * - at a fixed offered rate (`fixed-rate.ts`, 10,000 msg/s unless THROUGHPUT_FIXED_RATE says otherwise): server CPU
 *   per delivered message, and on PostgreSQL the CPU of the database's own processes too.
 *
 * On PostgreSQL, Parley's store is a throwaway cluster of the run's own with PostgreSQL's default durability
 * (`bench-postgres.ts`); its whole process tree's CPU is read over the same windows as the server's.
 *
 * Each run also drives Parley with its message store taken out (`parley-without-storage.ts`). That is not a product
 * but a bound: Parley cannot be faster than it, however it stores messages.
 */

export const CONVERSATIONS = 1000;
export const ACCOUNTS = 10;
/** Whole comparisons; THROUGHPUT_RUNS overrides. */
const RUNS = Number(process.env.THROUGHPUT_RUNS ?? 3);
/** THROUGHPUT_RAMP=0 measures the fixed rate alone, without the ramp to peak and its targets. */
const RAMP = process.env.THROUGHPUT_RAMP !== '0';
/** THROUGHPUT_SERVERS=sqlite,postgres measures some servers only (to try a change); all by default. */
const SERVERS = (process.env.THROUGHPUT_SERVERS?.split(',') ?? SERVER_KEYS).map((key) => {
  if (!SERVER_KEYS.includes(key as ServerKey))
    throw new Error(`THROUGHPUT_SERVERS: ${key} is not one of ${SERVER_KEYS.join(', ')}`);
  return key as ServerKey;
});
/** Parley limits each socket to `LIMITS.framesPerSecond` sustained: 1,000 visitors cannot offer more than this. */
const PARLEY_CEILING = Math.floor(CONVERSATIONS * LIMITS.framesPerSecond * 0.975);
const PARLEY_STEPS: RampSteps = { startRate: 2000, stepRate: 2000, ceiling: PARLEY_CEILING };
/** Parley on PostgreSQL peaks far lower (see BENCHMARKS.md): finer steps find its peak. */
const PARLEY_POSTGRES_STEPS: RampSteps = { startRate: 500, stepRate: 500, ceiling: PARLEY_CEILING };
const RELAY_STEPS: RampSteps = { startRate: 2000, stepRate: 2000, ceiling: null };

type Log = (line: string) => void;
export type Drive = Omit<Target, 'name' | 'serverPid' | 'databasePid'>;

/** Connects the generator's visitors and agents to `server`, then measures the fixed rate and the ramp. */
async function drive(
  name: string,
  server: RunningServer,
  target: Drive,
  steps: RampSteps,
  log: Log,
  databasePid?: number,
): Promise<Series> {
  const generator = new GeneratorProcess();
  try {
    const ready = await generator.setup({
      ...target,
      name,
      serverPid: server.pid,
      ...(databasePid ? { databasePid } : {}),
    });
    log(
      `${name}: ${ready.visitors} visitors, ${ready.agents} agents, ${ready.conversations} conversations in ${ready.setupMs} ms`,
    );
    // The ramp ends below saturation (at half of the peak); a server that cannot keep up with the fixed rate is
    // left with a backlog, so the fixed rate comes last.
    const ramp = RAMP ? await rampToPeak(generator, steps, log) : null;
    const fixed = await measureFixedRate(generator, log);
    return { name, fixed, ramp, setupMs: ready.setupMs, errorsAtSetup: ready.errors, stored: null };
  } finally {
    await generator.close();
  }
}

/** What the generator needs to drive Parley: every agent signed in over HTTP. */
export async function parleyTarget(origin: string, accounts: BenchAccount[]): Promise<Drive> {
  const signedIn = [];
  for (const account of accounts) {
    const cookie = await signIn(origin, account);
    signedIn.push({ publicKey: account.publicKey, agentPath: '/ws/agent', agentHeaders: { cookie, origin } });
  }
  return {
    transport: 'ws',
    baseUrl: origin,
    accounts: signedIn,
    visitorsPerAccount: CONVERSATIONS / ACCOUNTS,
    visitorHeaders: { origin: 'https://customer.example' },
    agentOpensConversations: false,
  };
}

/**
 * Parley on one engine: accounts are written into its store before it starts (its SQLite file, or the database of
 * a cluster started for this run alone); agents sign in over HTTP. After it stops, the visitors' messages in the
 * store are counted against those it acknowledged.
 */
async function measureParley(engine: 'sqlite' | 'postgres', log: Log): Promise<Series> {
  const postgres = engine === 'postgres' ? await startBenchPostgres() : null;
  try {
    if (postgres) log(`${postgres.version}, a cluster of this run's own; fsync and synchronous_commit on`);
    const parley = await startParleyWithAccounts(ACCOUNTS, postgres ? { databaseUrl: postgres.url } : {});
    let series: Series;
    try {
      const target = await parleyTarget(parley.server.baseUrl, parley.accounts);
      const name = postgres ? 'Parley on PostgreSQL' : 'Parley on SQLite';
      const steps = postgres ? PARLEY_POSTGRES_STEPS : PARLEY_STEPS;
      series = await drive(name, parley.server, target, steps, log, postgres?.pid);
    } finally {
      await parley.server.stop();
    }
    const ramp = series.ramp ? [...series.ramp.steps, series.ramp.half] : [];
    const acknowledged = CONVERSATIONS + series.fixed.acked + ramp.reduce((sum, s) => sum + s.acked, 0);
    const db = openStore(parley.databaseUrl);
    const persisted = await countMessages(db, 'visitor');
    await closeDatabase(db);
    parley.dir.remove();
    log(
      `  ${series.name} acknowledged ${acknowledged} messages; ${persisted} visitor messages are in its store after the run`,
    );
    return { ...series, stored: { acknowledged, persisted } };
  } finally {
    await postgres?.stop();
  }
}

/** The same load against Parley with its message store taken out (`parley-without-storage.ts`): a bound. */
async function measureParleyWithoutStorage(log: Log): Promise<Series> {
  const data = await parleyDataWithAccounts(ACCOUNTS);
  const server = await startParleyWithoutStorage(data.dbPath);
  try {
    const target = await parleyTarget(server.baseUrl, data.accounts);
    return await drive(server.name, server, target, PARLEY_STEPS, log);
  } finally {
    await server.stop();
    data.dir.remove();
  }
}

async function measureRelay(kind: 'bare-ws' | 'socketio', log: Log): Promise<Series> {
  const relay = await startRelay(kind);
  try {
    const target: Drive = {
      transport: kind === 'bare-ws' ? 'ws' : 'socketio',
      baseUrl: relay.baseUrl,
      accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
        publicKey: `pk_relay_${i}`,
        agentPath: `/ws/agent?account=pk_relay_${i}`,
      })),
      visitorsPerAccount: CONVERSATIONS / ACCOUNTS,
    };
    return await drive(relay.name, relay, target, RELAY_STEPS, log);
  } finally {
    await relay.stop();
  }
}

const MEASURE: Record<ServerKey, (log: Log) => Promise<Series>> = {
  sqlite: (log) => measureParley('sqlite', log),
  postgres: (log) => measureParley('postgres', log),
  unstored: measureParleyWithoutStorage,
  socketio: (log) => measureRelay('socketio', log),
  bare: (log) => measureRelay('bare-ws', log),
};

/**
 * On 2 shared cores, a saturated run depends on how the scheduler splits them between server and generator, so the
 * whole comparison is repeated and the medians are what the targets are checked against.
 */
export async function runThroughput(log: Log = console.log, runs = RUNS) {
  const finish = startResult('throughput');
  log(
    `throughput: ${CONVERSATIONS} conversations over ${ACCOUNTS} accounts, 100-byte messages, ${os.availableParallelism()} cores shared by server and generator, ` +
      `${runs} runs; fixed rate ${FIXED_RATE} msg/s${RAMP ? ', then a ramp to peak' : ' (THROUGHPUT_RAMP=0: no ramp)'}`,
  );
  const results: Run[] = [];
  for (let run = 1; run <= runs; run++) {
    log(`-- run ${run} of ${runs}`);
    const result: Run = {};
    for (const key of SERVERS) result[key] = await MEASURE[key](log);
    results.push(result);
    log('');
    log(runTables(result));
    log('');
  }
  const summary = summarize(results, { rampCeiling: PARLEY_CEILING });
  for (const line of summary.lines) log(line);
  return finish(summary.verdicts, {
    conversations: CONVERSATIONS,
    accounts: ACCOUNTS,
    fixedRate: FIXED_RATE,
    ramp: RAMP,
    runs: results,
  });
}

if (isMain(import.meta.url)) await runThroughput();
