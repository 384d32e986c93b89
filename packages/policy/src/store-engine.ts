import type { PolicyContent } from './schema.ts';

/** What an installation's store runs on: one SQLite file (the embedded default), or a PostgreSQL database. */
export const STORE_ENGINES = ['sqlite', 'postgres'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

/**
 * RET-4: what erasure leaves on disk depends on the engine, and the policy says so for the one an installation
 * runs. Parley's text (`content.ts`) is SQLite's: there the deleted rows are overwritten with zeros and the WAL is
 * checkpointed and truncated, so nothing is left to read. PostgreSQL overwrites nothing when a row is deleted; what
 * lingers, where and for how long (with PostgreSQL's default settings) is stated here instead, as measured by
 * `packages/db/src/erasure-residue.test.ts`.
 */
const ON_SQLITE = {
  promise: 'Erasure is complete: nothing of you remains in any table, index or log.',
  right: "a visitor's erasure removes every row about them and overwrites the freed space on disk.",
};

const ON_POSTGRES = {
  promise:
    "Erasure is complete in everything Parley reads: no table, index or log it uses gives anything of you back. This installation keeps its data in PostgreSQL, which does not overwrite erased data on disk at once, so old copies stay in the database server's files, readable only with access to its disks: in the tables' pages until new data takes their place, which Parley frees right after an erasure for the next data written there (on a quiet table that can take long); in the full-text search index, which keeps the words of erased messages and notes, though no longer which messages held them, until Parley's retention sweep next runs (every six hours) and rebuilds it; and in PostgreSQL's write-ahead log, whose files are reused rather than emptied once a checkpoint has passed them (with PostgreSQL's default settings, a checkpoint comes every 5 minutes, or sooner when the log nears 1 GB), and are written over or deleted once as much log as the server keeps in reserve (80 MB to 1 GB by default) has been written after them. Replicas of the database erase as it does and hold the same old copies; backups and log archives keep theirs for as long as the operator keeps them.",
  right:
    "a visitor's erasure removes every row about them; the space they took on disk is freed, and overwritten as new data is written, not at once.",
};

function replaced(text: string, from: string, to: string, where: string): string {
  if (!text.includes(from))
    throw new Error(`${where} no longer says "${from}": write what it says on PostgreSQL in store-engine.ts`);
  return text.replace(from, to);
}

/** The content as an installation whose store runs on `engine` states it. */
export function forStoreEngine(content: PolicyContent, engine: StoreEngine): PolicyContent {
  if (engine === 'sqlite') return content;
  return {
    ...content,
    promises: content.promises.map((p) =>
      p.id === 'RET-4'
        ? { ...p, statement: replaced(p.statement, ON_SQLITE.promise, ON_POSTGRES.promise, 'RET-4') }
        : p,
    ),
    rights: content.rights.map((r) =>
      r.id === 'erasure'
        ? { ...r, how: replaced(r.how, ON_SQLITE.right, ON_POSTGRES.right, 'The right to erasure') }
        : r,
    ),
  };
}
