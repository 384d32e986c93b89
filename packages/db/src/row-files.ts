import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { classification } from './classification.ts';
import type { ParleyDb } from './connection.ts';
import { rows } from './statements.ts';

/**
 * The places beside the database where Parley writes personal data as files: mail written to `.eml` files when no
 * SMTP server is configured. Each file is a copy of one row and is named by that row's id, and the classification
 * says which table's rows have copies where (`TableClass.files`), so that erasure and the retention sweep, which
 * find rows, remove their files too (RET-3, RET-4).
 */
export type FileStoreName = 'mail';

/** A folder of files, each the copy of one row and named by its id. */
export interface RowFileStore {
  /** Where the files are, for people to be told. */
  readonly location: string;
  write(id: string, content: Uint8Array): Promise<void>;
  /** Removes the files of these rows; a file that is not there is no error. */
  remove(ids: Iterable<string>): Promise<void>;
  /** The ids of the rows that have a file here now. */
  ids(): Promise<string[]>;
}

export type FileStores = Partial<Record<FileStoreName, RowFileStore>>;

/** Ids are made by `newId`; anything else is never turned into a path. */
const ROW_ID = /^[a-z]+_[A-Za-z0-9_-]+$/;

function fileName(id: string, extension: string): string {
  if (!ROW_ID.test(id)) throw new Error(`"${id}" is not a row id, so it cannot name a file`);
  return `${id}${extension}`;
}

/**
 * A folder of `<id><extension>` files, readable by the server's user only. Files in it that are not named like a row
 * are the operator's own and are left alone.
 */
export function folderFileStore(directory: string, extension: string): RowFileStore {
  return {
    location: directory,
    async write(id, content) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await writeFile(join(directory, fileName(id, extension)), content, { mode: 0o600 });
    },
    async remove(ids) {
      for (const id of ids) await rm(join(directory, fileName(id, extension)), { force: true });
    },
    async ids() {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return names
        .filter((name) => name.endsWith(extension))
        .map((name) => name.slice(0, -extension.length))
        .filter((id) => ROW_ID.test(id));
    },
  };
}

/** The tables whose rows `store` holds copies of. */
const tablesWithFiles = (store: FileStoreName): string[] =>
  Object.entries(classification)
    .filter(([, t]) => t.files === store)
    .map(([table]) => table);

/** Removes the files of rows of `table` that were just deleted or stripped of their personal data. */
export async function removeRowFiles(db: ParleyDb, table: string, ids: readonly string[]): Promise<number> {
  const name = classification[table]?.files;
  const store = name && db.files[name];
  if (!store || ids.length === 0) return 0;
  await store.remove(ids);
  return ids.length;
}

/** Ids looked up per statement: well under SQLite's and PostgreSQL's limits on bound values. */
const IDS_PER_LOOKUP = 500;

/** Those of `ids` that name a row of `table`. */
async function existing(db: ParleyDb, table: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += IDS_PER_LOOKUP) {
    const chunk = ids.slice(start, start + IDS_PER_LOOKUP);
    const present = await rows<{ id: string }>(
      db,
      sql`SELECT id FROM ${sql.identifier(table)} WHERE id IN (${sql.join(
        chunk.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    for (const { id } of present) found.add(id);
  }
  return found;
}

/**
 * Removes every file whose row no longer exists: one left by a crash between a row's deletion and its file's, or
 * written before its row's files were tracked. Returns how many went, per store.
 */
export async function removeOrphanFiles(db: ParleyDb): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const [name, store] of Object.entries(db.files) as Array<[FileStoreName, RowFileStore]>) {
    const ids = await store.ids();
    const kept = new Set<string>();
    for (const table of tablesWithFiles(name)) for (const id of await existing(db, table, ids)) kept.add(id);
    const orphans = ids.filter((id) => !kept.has(id));
    if (orphans.length === 0) continue;
    await store.remove(orphans);
    removed[name] = orphans.length;
  }
  return removed;
}
