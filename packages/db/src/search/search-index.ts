import { is, sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { ParleyDb } from '../connection.ts';
import { ERASURE_ACTIONS } from '../erase-visitor.ts';
import * as schema from '../schema.ts';
import { row, run, write } from '../statements.ts';

/**
 * The structures each engine keeps for the full-text search, outside the Drizzle schema because Drizzle cannot
 * declare them (migrations `drizzle/0021_search_index.sql`, `drizzle-postgres/0018_search_index.sql`). They are the
 * one declared difference between the engines' schemas (`schema-conformance.test.ts`), and their columns are
 * classified here rather than in `classification.ts`, whose tables erasure, export and the sweep walk: the index
 * holds copies of classified columns (`SEARCH_SOURCES`) that the database keeps in step, so erasure and the sweep
 * reach it through those columns, never directly (`classification.test.ts` checks both).
 *
 * - SQLite: the FTS5 table `search_index`, whose shadow tables (`search_index_data`, `_idx`, `_docsize`, `_config`)
 *   hold its index, and `search_documents`, which numbers each message and note for it.
 * - PostgreSQL: the GIN indexes `messages_search` and `notes_search` on an expression of the text (`search_vector`).
 */
export const SEARCH_STRUCTURES = {
  sqlite: {
    tables: {
      /** The words of every message and note: a copy of `SEARCH_SOURCES`, in the index's own form. */
      search_index: { body: 'copy' },
      /** Which message or note (`kind`, `source_id`) each row of the index is, and its conversation: ids only. */
      search_documents: {
        id: 'not_personal',
        source_id: 'not_personal',
        kind: 'not_personal',
        conversation_id: 'not_personal',
      },
    },
  },
  postgres: { indexes: { messages_search: 'messages', notes_search: 'notes' } },
} as const satisfies {
  sqlite: { tables: Record<string, Record<string, 'copy' | 'not_personal'>> };
  postgres: { indexes: Record<string, string> };
};

/** The columns whose text the search index holds: chat content, about visitors and agents. */
export const SEARCH_SOURCES = ['messages.body', 'notes.body'] as const;

/** The audit log's action for a rebuild of the search indexes (PostgreSQL). */
export const SEARCH_REBUILT = 'search.rebuilt';

/**
 * An erasure recorded this long before the last rebuild began may still have committed after it began (its record
 * is dated when the erasure starts), and is counted as not yet covered: at worst the index is rebuilt once more.
 */
const REBUILD_OVERLAP_MS = 3_600_000;

/** The tables whose rows, when deleted, take messages or notes with them: those two, and what they cascade from. */
export const SEARCH_SOURCE_OWNERS: readonly string[] = (() => {
  const cascades = (Object.values(schema) as unknown[])
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .flatMap((table) => {
      const { name, foreignKeys } = getTableConfig(table);
      return foreignKeys
        .filter((key) => key.onDelete === 'cascade')
        .map((key) => ({ child: name, parent: getTableConfig(key.reference().foreignTable).name }));
    });
  const owners = new Set<string>(SEARCH_SOURCES.map((source) => source.split('.')[0]!));
  for (let grew = true; grew; ) {
    grew = false;
    for (const { child, parent } of cascades)
      if (owners.has(child) && !owners.has(parent)) {
        owners.add(parent);
        grew = true;
      }
  }
  return [...owners].sort();
})();

/**
 * PostgreSQL: builds each search index anew beside the old one, then drops the old one's files, without blocking
 * chat (`REINDEX CONCURRENTLY`). Returns the indexes' names.
 */
export async function rebuildSearchIndexes(db: ParleyDb): Promise<string[]> {
  const indexes = Object.keys(SEARCH_STRUCTURES.postgres.indexes);
  for (const index of indexes) await run(db, sql`REINDEX INDEX CONCURRENTLY ${sql.identifier(index)}`);
  return indexes;
}

/** Whether a visitor was erased since the search indexes were last rebuilt (or ever, if they never were). */
async function erasedSinceRebuild(db: ParleyDb): Promise<boolean> {
  const last = await row<{ at: number | null }>(
    db,
    sql`SELECT max(created_at) AS at FROM audit_log WHERE action = ${SEARCH_REBUILT}`,
  );
  const since = last?.at === null || last?.at === undefined ? null : Number(last.at) - REBUILD_OVERLAP_MS;
  const erasure = await row(
    db,
    sql`SELECT 1 AS found FROM audit_log WHERE action IN (${sql.join(
      ERASURE_ACTIONS.map((action) => sql`${action}`),
      sql`, `,
    )}) ${since === null ? sql`` : sql`AND created_at > ${since}`} LIMIT 1`,
  );
  return erasure !== null;
}

/**
 * RET-3, RET-4 on PostgreSQL: rebuilds the search indexes when messages or notes were deleted since they were last
 * built: by the sweep that calls this (`deletedFrom` names the tables it deleted rows of) or by an erasure since.
 * A GIN index keeps a word as a key of its entry tree after the last row holding it is gone (VACUUM empties the key's
 * list of rows, but leaves the key), so an erased message's words stay readable in the index's file until it is
 * rebuilt; `erasure-residue.test.ts` measures it, and the policy's PostgreSQL text says so. `REINDEX CONCURRENTLY`
 * builds a new index beside the old one and then drops the old one's files, without blocking chat's reads and
 * writes. SQLite needs none of this: its index removes a deleted row's words at once (`secure-delete`). Returns
 * whether it rebuilt.
 */
export async function rebuildSearchIndexIfStale(
  db: ParleyDb,
  input: { deletedFrom: readonly string[]; now: number },
): Promise<boolean> {
  if (db.dialect !== 'postgres') return false;
  const swept = input.deletedFrom.some((table) => SEARCH_SOURCE_OWNERS.includes(table));
  if (!swept && !(await erasedSinceRebuild(db))) return false;
  const indexes = await rebuildSearchIndexes(db);
  await write(db, (o, { auditLog }) =>
    o.insert(auditLog).values({
      actorKind: 'system',
      action: SEARCH_REBUILT,
      detail: { indexes, swept },
      createdAt: input.now,
    }),
  );
  return true;
}
