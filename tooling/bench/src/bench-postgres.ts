import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPostgresBinaries, startThrowawayCluster } from '@parley/db/testing';
import { createDatabase } from '@parley/db/testing/postgres';
import { treeCpuMsOf } from './process-stats.ts';

/**
 * A PostgreSQL cluster of the benchmark's own, started from the installed binaries in a temporary folder on a free
 * port, with one empty database for Parley. Unlike the tests' throwaway clusters, it keeps PostgreSQL's default
 * durability (`fsync`, `synchronous_commit` and `full_page_writes` on): every commit waits for its WAL to reach the
 * disk, as it would in production. Its other settings are PostgreSQL's defaults.
 *
 * Its CPU is every process of the cluster: the postmaster and all its children (connections' backends, WAL writer,
 * checkpointer, background writer, autovacuum), read from /proc, including children that ended meanwhile.
 */
export interface BenchPostgres {
  /** The URL of Parley's database, as `DATABASE_URL` takes it. */
  readonly url: string;
  /** The postmaster's pid: the root of the cluster's process tree. */
  readonly pid: number;
  /** `postgres --version`. */
  readonly version: string;
  /** CPU time of the whole cluster so far, ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export const DEFAULT_DURABILITY = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };

function postgresVersion(): string {
  const bin = findPostgresBinaries();
  if (!bin) return 'PostgreSQL';
  return spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
}

export async function startBenchPostgres(database = 'parley'): Promise<BenchPostgres> {
  const cluster = await startThrowawayCluster({ settings: DEFAULT_DURABILITY });
  try {
    const url = await createDatabase(cluster.url, database);
    const pid = Number(readFileSync(join(cluster.dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return { url, pid, version: postgresVersion(), cpuMs: () => treeCpuMsOf(pid), stop: cluster.stop };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
