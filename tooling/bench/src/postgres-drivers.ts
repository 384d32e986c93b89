import { newOrderedId } from '@parley/db';
import { messages } from '@parley/db/postgres/schema';
import { startTestPostgres } from '@parley/db/testing';
import { databaseUrl, dropDatabases, migrateTemplate } from '@parley/db/testing/postgres';
import { eq, inArray, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import pg from 'pg';
import postgres from 'postgres';
import { summarizeLatencies } from './latency-stats.ts';
import { machineLine } from './machine.ts';
import { cpuMsOf, ownCpuMs } from './process-stats.ts';
import { startResult } from './report.ts';

/**
 * node-postgres (`pg`) against postgres.js (`postgres`), both under drizzle, on what Parley does most: store a chat
 * message and read a row back by its primary key. Three shapes of load, each over a pool of POOL_SIZE connections:
 * one at a time (latency), OPS_IN_FLIGHT at once (a busy server), and BATCH rows per INSERT (the message writer
 * batches). Both drivers use drizzle's prepared statements, as a store would on its hot paths. Each figure is the
 * median of ROUNDS rounds; the drivers alternate within a round so that drift in the machine's speed hits both.
 * The database's own CPU is read from /proc for the connections' server processes.
 *
 * Runs against a throwaway cluster (or PARLEY_TEST_DATABASE_URL's server), in a database of its own, dropped after.
 */

const POOL_SIZE = 10;
const OPS_IN_FLIGHT = 64;
const BATCH = 100;
const ROUNDS = Number(process.env.PARLEY_BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.PARLEY_BENCH_SCALE ?? 1);
const OPS = { single: 3_000 * SCALE, pipelined: 20_000 * SCALE, batched: 20_000 * SCALE };

type Shape = keyof typeof OPS;
const SHAPES = Object.keys(OPS) as Shape[];

type MessageRow = {
  id: string;
  conversationId: string;
  accountId: string;
  visitorId: string;
  author: 'visitor';
  body: string;
  clientKey: string;
  createdAt: number;
};

/** One driver's way of doing the three things measured, and the pids of its connections' server processes. */
interface Driver {
  name: string;
  insertAndRead(row: MessageRow): Promise<void>;
  insertBatchAndRead(rows: MessageRow[]): Promise<void>;
  serverPids(): Promise<number[]>;
  close(): Promise<void>;
}

/** The measured statements, the same drizzle queries whichever driver runs them. */
function driver(
  name: string,
  db: PgDatabase<PgQueryResultHKT>,
  connection: Pick<Driver, 'serverPids' | 'close'>,
): Driver {
  const insert = db
    .insert(messages)
    .values({
      id: sql.placeholder('id'),
      conversationId: sql.placeholder('conversationId'),
      accountId: sql.placeholder('accountId'),
      visitorId: sql.placeholder('visitorId'),
      author: 'visitor',
      body: sql.placeholder('body'),
      clientKey: sql.placeholder('clientKey'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare('insert_message');
  const read = db
    .select()
    .from(messages)
    .where(eq(messages.id, sql.placeholder('id')))
    .prepare('read_message');
  return {
    name,
    async insertAndRead(row) {
      await insert.execute(row);
      if ((await read.execute({ id: row.id })).length !== 1)
        throw new Error(`message ${row.id} not read back`);
    },
    async insertBatchAndRead(rows) {
      await db.insert(messages).values(rows);
      const ids = rows.map((r) => r.id);
      const found = await db.select({ id: messages.id }).from(messages).where(inArray(messages.id, ids));
      if (found.length !== rows.length) throw new Error('batch not read back');
    },
    ...connection,
  };
}

function nodePostgres(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  return driver('pg (node-postgres)', drizzleNodePostgres(pool), {
    serverPids: () => backendPids(pool),
    close: () => pool.end(),
  });
}

function postgresJs(url: string): Driver {
  const client = postgres(url, { max: POOL_SIZE, onnotice: () => {} });
  return driver('postgres (postgres.js)', drizzlePostgresJs(client), {
    async serverPids() {
      // Open every connection of the pool (postgres.js opens them on demand), then ask each for its pid.
      const pids = await Promise.all(
        Array.from({ length: POOL_SIZE }, () => client`SELECT pg_backend_pid() AS pid, pg_sleep(0.05)`),
      );
      return [...new Set(pids.map(([row]) => Number(row?.pid)))];
    },
    close: () => client.end(),
  });
}

/** The server pids of every connection of a node-postgres pool, opening them all first. */
async function backendPids(pool: pg.Pool): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  try {
    const pids = await Promise.all(
      clients.map((c) => c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')),
    );
    return pids.map((r) => Number(r.rows[0]?.pid));
  } finally {
    for (const c of clients) c.release();
  }
}

let sequence = 0;
function messageRow(): MessageRow {
  sequence++;
  return {
    id: newOrderedId('msg'),
    conversationId: 'cnv_bench',
    accountId: 'acc_bench',
    visitorId: 'vis_bench',
    author: 'visitor',
    body: `Hello, is anyone there? I have a question about my order number ${sequence}.`,
    clientKey: `ck_${sequence}`,
    createdAt: Date.now(),
  };
}

interface Figures {
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  clientCpuUsPerOp: number;
  serverCpuUsPerOp: number;
}

async function measure(driver: Driver, shape: Shape): Promise<Figures> {
  const ops = OPS[shape];
  const pids = await driver.serverPids();
  const latencies = new Float64Array(shape === 'batched' ? ops / BATCH : ops);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < latencies.length; i = next++) {
      const started = performance.now();
      if (shape === 'batched') await driver.insertBatchAndRead(Array.from({ length: BATCH }, messageRow));
      else await driver.insertAndRead(messageRow());
      latencies[i] = performance.now() - started;
    }
  };
  const workers = shape === 'single' ? 1 : shape === 'pipelined' ? OPS_IN_FLIGHT : POOL_SIZE;
  const serverCpuBefore = pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  const clientCpuBefore = ownCpuMs();
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = (performance.now() - started) / 1000;
  const clientCpuMs = ownCpuMs() - clientCpuBefore;
  const serverCpuMs = pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0) - serverCpuBefore;
  const summary = summarizeLatencies(latencies);
  return {
    opsPerSecond: Math.round(ops / seconds),
    p50Ms: round(summary.p50),
    p99Ms: round(summary.p99),
    clientCpuUsPerOp: round((clientCpuMs * 1000) / ops),
    serverCpuUsPerOp: round((serverCpuMs * 1000) / ops),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const finish = startResult('postgres-drivers');
console.log(`PostgreSQL drivers on ${machineLine()}`);
const server = await startTestPostgres();
const run = `bench_${process.pid}`;
try {
  const url = databaseUrl(server.url, await migrateTemplate(server.url, run));
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(`
    INSERT INTO accounts (id, public_key, organization, region, created_at) VALUES ('acc_bench', 'pk_bench', 'Bench', 'DE', 0);
    INSERT INTO visitors (id, account_id, persistent, created_at, last_seen_at) VALUES ('vis_bench', 'acc_bench', true, 0, 0);
    INSERT INTO conversations (id, account_id, visitor_id, status, started_at) VALUES ('cnv_bench', 'acc_bench', 'vis_bench', 'active', 0);`);
  const version = (await setup.query<{ server_version: string }>('SHOW server_version')).rows[0]
    ?.server_version;
  await setup.end();
  console.log(`PostgreSQL ${version}; pool of ${POOL_SIZE}; ${OPS_IN_FLIGHT} in flight; batches of ${BATCH}`);

  const drivers = [nodePostgres(url), postgresJs(url)];
  const rounds: Record<string, Record<Shape, Figures[]>> = {};
  for (const d of drivers) rounds[d.name] = { single: [], pipelined: [], batched: [] };
  // A warm-up round that is not recorded: JIT, prepared statements and the table's first pages.
  for (const d of drivers) for (const shape of SHAPES) await measure(d, shape);
  for (let r = 0; r < ROUNDS; r++)
    for (const shape of SHAPES)
      for (const d of r % 2 === 0 ? drivers : [...drivers].reverse())
        rounds[d.name]![shape].push(await measure(d, shape));
  for (const d of drivers) await d.close();

  const table: Array<Record<string, string | number>> = [];
  for (const d of drivers)
    for (const shape of SHAPES) {
      const runs = rounds[d.name]![shape];
      const m = (key: keyof Figures) => median(runs.map((f) => f[key]));
      table.push({
        driver: d.name,
        shape,
        'ops/s': m('opsPerSecond'),
        'ops/s (all rounds)': runs.map((f) => f.opsPerSecond).join(' / '),
        'p50 ms': m('p50Ms'),
        'p99 ms': m('p99Ms'),
        'client CPU µs/op': m('clientCpuUsPerOp'),
        'server CPU µs/op': m('serverCpuUsPerOp'),
      });
    }
  console.table(table);
  finish([], {
    pool: POOL_SIZE,
    inFlight: OPS_IN_FLIGHT,
    batch: BATCH,
    ops: OPS,
    rounds: ROUNDS,
    version,
    table,
  });
} finally {
  await dropDatabases(server.url, run).finally(() => server.stop());
}
