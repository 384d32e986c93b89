import { join } from 'node:path';
import { closeDatabase, openStore, type ParleyDb } from '@parley/db';
import { startBenchPostgres } from './bench-postgres.ts';
import { tempDir } from './servers.ts';

export type Engine = 'sqlite' | 'postgres';

/** Connections in the pool of a PostgreSQL store opened here: as many as a Parley server keeps. */
const POOL_SIZE = 10;

export interface BenchStore {
  db: ParleyDb;
  /** PostgreSQL: the postmaster of the store's own cluster, whose process tree is the database's CPU. */
  databasePid: number | null;
  /** Closes the store and removes it: the SQLite file's folder, or the whole cluster. */
  close(): Promise<void>;
}

/** A new, empty store on `engine`: a SQLite file in a folder of its own, or a database in a cluster of its own. */
export async function openBenchStore(engine: Engine, prefix: string): Promise<BenchStore> {
  if (engine === 'sqlite') {
    const dir = tempDir(prefix);
    const db = openStore(`file:${join(dir.path, 'parley.db')}`);
    return {
      db,
      databasePid: null,
      close: async () => {
        await closeDatabase(db);
        dir.remove();
      },
    };
  }
  const postgres = await startBenchPostgres();
  const db = openStore(postgres.url, { poolSize: POOL_SIZE });
  return {
    db,
    databasePid: postgres.pid,
    close: async () => {
      await closeDatabase(db);
      await postgres.stop();
    },
  };
}
