import { type PolicyContent, type Retention, subtractDuration } from '@parley/policy';
import { type SQL, sql } from 'drizzle-orm';
import { classification } from './classification.ts';
import { columnRetention } from './column-retention.ts';
import type { ParleyDb } from './connection.ts';
import { reclaimDeletedSpace } from './deleted-space.ts';
import { removeOrphanFiles, removeRowFiles } from './row-files.ts';
import { rebuildSearchIndexIfStale } from './search/search-index.ts';
import { exclusively, rows, write } from './statements.ts';
import { childTablesFirst } from './table-order.ts';
import { tableShape } from './table-shape.ts';

export interface SweepReport {
  /** Rows deleted or values cleared, per policy data category. */
  byCategory: Record<string, number>;
  byTable: Record<string, { deleted: number; cleared: number }>;
  /** Files removed with their rows, or because their row was already gone, per file store. */
  files: Record<string, number>;
  batches: number;
  /** PostgreSQL: whether the search indexes were rebuilt, as deleted messages or notes require (RET-4). */
  searchIndexRebuilt: boolean;
}

export interface SweepOptions {
  now?: number;
  /**
   * Rows per statement; small enough that a batch takes a few milliseconds (on a million-message table, 100
   * messages take about 2 ms and 500 took 15–30 ms, which live chat felt).
   */
  batchSize?: number;
  /** Runs between batches so that live chat is served in between (RET-3 must not stall chat). */
  pause?: () => Promise<void>;
  /**
   * Counts what would go, changing nothing: no row, no file, no audit entry. The counts are those a sweep at the
   * same moment would report, except that files are counted by the rows that carry one, and files whose row is already gone are not looked for.
   */
  dryRun?: boolean;
  /** Told after each table: how many of the tables with personal data the sweep has gone through. */
  onProgress?: (progress: SweepProgress) => void;
}

/** Where a sweep is: `done` of `total` tables gone through, the last one `table`. Counts only. */
export interface SweepProgress {
  table: string;
  done: number;
  total: number;
}

interface ExpiryGroup {
  /** This group's clock has run out for the row aliased `t`. */
  expired: SQL;
  columns: string[];
  categories: string[];
}

/** One column as itself, several as a row value (`(a, b)`), which SQLite and PostgreSQL compare in order. */
const tuple = (parts: SQL[]): SQL => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql`, `)})`);

/**
 * The primary key (`key`) of the row aliased `t` is one of `keys`: a list of values for one column, a list of row
 * values for several (`IN (VALUES (…), …)`: SQLite compares a row value only with a subquery's rows).
 */
const keysIn = (key: string[], keys: unknown[][]): SQL => {
  const columns = tuple(key.map((c) => sql`t.${sql.identifier(c)}`));
  const values = keys.map((k) => tuple(k.map((v) => sql`${v}`)));
  return key.length === 1
    ? sql`${columns} IN (${sql.join(values, sql`, `)})`
    : sql`${columns} IN (VALUES ${sql.join(values, sql`, `)})`;
};

/** The row's clock (SQL the classification writes) has started and reached `cutoff`. */
const reached = (clock: string, cutoff: number): SQL =>
  sql`(${sql.raw(clock)}) IS NOT NULL AND (${sql.raw(clock)}) <= ${cutoff}`;

/**
 * Per table: its personal columns grouped by the retention the policy gives them. In a table that can tell rows
 * about a visitor who sent a privacy signal, those rows expire by the shorter retention the policy gives them (SIG-1).
 */
function expiryGroups(content: PolicyContent, table: string, now: number) {
  const { notNull } = tableShape(table);
  const signal = classification[table]!.signal;
  const cutoffOf = (retention: Retention) => subtractDuration(new Date(now), retention.keep).getTime();
  const groups = new Map<string, ExpiryGroup & { notNull: boolean }>();
  for (const [column, c] of Object.entries(classification[table]!.columns)) {
    if (c.kind !== 'personal') continue;
    const { retention, clock } = columnRetention(content, table, column);
    const cutoff = cutoffOf(retention);
    const signalCutoff = cutoffOf(columnRetention(content, table, column, { signal: true }).retention);
    const shorterUnderSignal = signal !== undefined && signalCutoff > cutoff;
    const key = `${clock}|${cutoff}|${shorterUnderSignal ? signalCutoff : ''}`;
    const group = groups.get(key) ?? {
      expired: shorterUnderSignal
        ? // The clock first: most rows are not old enough for the look-up of their visitor's signal to matter.
          sql`(${reached(clock, cutoff)}) OR (${reached(clock, signalCutoff)} AND (${sql.raw(signal)}))`
        : reached(clock, cutoff),
      columns: [],
      categories: [],
      notNull: false,
    };
    group.columns.push(column);
    if (!group.categories.includes(c.category)) group.categories.push(c.category);
    group.notNull ||= notNull.has(column);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * RET-3: deletes or anonymises every category whose declared retention has passed. A row goes when its required
 * (NOT NULL) personal data expires, or, with none, when all of its personal data has; shorter-lived nullable
 * columns are cleared on their own. A row's copy in a file (`TableClass.files`) goes with it, and so does any file
 * whose row is already gone. Works in small batches with a pause between them, then reclaims the space the deleted
 * data took (`reclaimDeletedSpace`) and, on PostgreSQL, rebuilds the search indexes when deleted messages or notes
 * left their words there (`rebuildSearchIndexIfStale`). One sweep runs at a time per store, across every node that shares it: while
 * one runs, another returns null at once and leaves the work to it.
 */
export async function sweepRetention(
  db: ParleyDb,
  content: PolicyContent,
  options: SweepOptions = {},
): Promise<SweepReport | null> {
  const sweep = await exclusively(db, 'retention-sweep', () => sweepOnce(db, content, options));
  return sweep.ran ? sweep.result : null;
}

/** The sweep's batches: each takes the keys of the next rows to change, then changes those rows. */
function batches(db: ParleyDb, table: string, batchSize: number) {
  const { key } = tableShape(table);
  if (key.length === 0) throw new Error(`table "${table}" has no primary key to sweep it by`);
  const returned = [...new Set(classification[table]!.files ? [...key, 'id'] : key)];
  const selected = sql.join(
    key.map((c) => sql`t.${sql.identifier(c)}`),
    sql`, `,
  );
  return {
    /** The first batch has no lower bound; the others start after the last batch's last key. */
    pick: async (where: SQL, after: unknown[] | undefined): Promise<unknown[][]> => {
      const bound = after
        ? sql`${tuple(key.map((c) => sql`t.${sql.identifier(c)}`))} > ${tuple(after.map((v) => sql`${v}`))} AND `
        : sql``;
      const found = await rows<Record<string, unknown>>(
        db,
        sql`SELECT ${selected} FROM ${sql.identifier(table)} t WHERE ${bound}${where}
            ORDER BY ${selected} LIMIT ${batchSize}`,
      );
      return found.map((r) => key.map((c) => r[c]));
    },
    /**
     * Changes the picked rows, reached by their keys, that still match `where`: between the two statements the
     * store serves chat, and a row may have been touched meanwhile (a visitor come back).
     */
    change: (change: SQL, where: SQL, keys: unknown[][]): Promise<Array<Record<string, unknown>>> =>
      rows(
        db,
        sql`${change} WHERE ${keysIn(key, keys)} AND ${where} RETURNING ${sql.join(
          returned.map((c) => sql.identifier(c)),
          sql`, `,
        )}`,
      ),
  };
}

async function sweepOnce(db: ParleyDb, content: PolicyContent, options: SweepOptions): Promise<SweepReport> {
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 100;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const report: SweepReport = {
    byCategory: {},
    byTable: {},
    files: {},
    batches: 0,
    searchIndexRebuilt: false,
  };
  const tables = Object.keys(classification).filter((table) =>
    Object.values(classification[table]!.columns).some((c) => c.kind === 'personal'),
  );

  // Each batch takes the keys of the next `batchSize` matching rows after the last batch's primary key, in key
  // order, and changes those rows; it starts where the last one stopped, so a sweep reads
  // every row once (starting each batch from the top of the table made it pass over all the rows still kept, again
  // and again: quadratic on a large table, and batches of seconds under live chat). The database orders the keys,
  // so text keys page in the column's own collation, and the same SQL pages on SQLite and PostgreSQL.
  // A table whose rows are copied to files returns their ids too, and the batch's files go with it.
  const addFiles = (store: string, n: number) => {
    if (n > 0) report.files[store] = (report.files[store] ?? 0) + n;
  };
  const repeat = async (table: string, where: SQL, change: SQL, onChanged: (n: number) => void) => {
    const { pick, change: changeRows } = batches(db, table, batchSize);
    const store = classification[table]!.files;
    let after: unknown[] | undefined;
    for (;;) {
      const keys = await pick(where, after);
      report.batches++;
      const changed = keys.length > 0 ? await changeRows(change, where, keys) : [];
      if (changed.length > 0) onChanged(changed.length);
      if (store)
        addFiles(
          store,
          await removeRowFiles(
            db,
            table,
            changed.map((r) => String(r.id)),
          ),
        );
      if (keys.length < batchSize) return;
      after = keys[keys.length - 1];
      await pause();
    }
  };
  const add = (table: string, kind: 'deleted' | 'cleared', categories: string[], n: number) => {
    const entry = report.byTable[table] ?? { deleted: 0, cleared: 0 };
    report.byTable[table] = entry;
    entry[kind] += n;
    for (const category of categories) report.byCategory[category] = (report.byCategory[category] ?? 0) + n;
  };

  const count = async (table: string, where: SQL): Promise<number> => {
    const [found] = await rows<{ n: number | string }>(
      db,
      sql`SELECT count(*) AS n FROM ${sql.identifier(table)} t WHERE ${where}`,
    );
    report.batches++;
    return Number(found?.n ?? 0);
  };
  /** The dry run's counts: the rows that would be deleted, then the values cleared in the rows that would stay. */
  const countWouldGo = async (
    table: string,
    groups: Array<ExpiryGroup & { notNull: boolean }>,
    rowExpired: SQL,
    allCategories: string[],
  ) => {
    const deleted = await count(table, sql`(${rowExpired})`);
    if (deleted > 0) add(table, 'deleted', allCategories, deleted);
    const store = classification[table]!.files;
    if (store) addFiles(store, deleted);
    for (const group of groups.filter((g) => !g.notNull)) {
      const holdsData = sql.join(
        group.columns.map((c) => sql`t.${sql.identifier(c)} IS NOT NULL`),
        sql` OR `,
      );
      const cleared = await count(table, sql`(${group.expired}) AND (${holdsData}) AND NOT (${rowExpired})`);
      if (cleared > 0) add(table, 'cleared', group.categories, cleared);
    }
  };

  const ordered = childTablesFirst(tables);
  const tableDone = (table: string) =>
    options.onProgress?.({ table, done: ordered.indexOf(table) + 1, total: ordered.length });
  for (const table of ordered) {
    const groups = expiryGroups(content, table, now);
    const required = groups.filter((g) => g.notNull);
    const rowExpired = sql.join(
      (required.length > 0 ? required : groups).map((g) => sql`(${g.expired})`),
      sql` AND `,
    );
    const allCategories = [...new Set(groups.flatMap((g) => g.categories))];
    const name = sql.identifier(table);
    if (options.dryRun) {
      await countWouldGo(table, groups, rowExpired, allCategories);
      tableDone(table);
      continue;
    }
    await repeat(table, sql`(${rowExpired})`, sql`DELETE FROM ${name} AS t`, (n) =>
      add(table, 'deleted', allCategories, n),
    );
    for (const group of groups.filter((g) => !g.notNull)) {
      const set = sql.join(
        group.columns.map((c) => sql`${sql.identifier(c)} = NULL`),
        sql`, `,
      );
      const holdsData = sql.join(
        group.columns.map((c) => sql`t.${sql.identifier(c)} IS NOT NULL`),
        sql` OR `,
      );
      await repeat(
        table,
        sql`(${group.expired}) AND (${holdsData})`,
        sql`UPDATE ${name} AS t SET ${set}`,
        (n) => add(table, 'cleared', group.categories, n),
      );
    }
    tableDone(table);
    await pause();
  }
  if (options.dryRun) return report;
  for (const [store, n] of Object.entries(await removeOrphanFiles(db))) addFiles(store, n);
  await write(db, (o, { auditLog }) =>
    o.insert(auditLog).values({
      actorKind: 'system',
      action: 'retention.sweep',
      detail: { byCategory: report.byCategory, byTable: report.byTable, files: report.files },
      createdAt: now,
    }),
  );
  await reclaimDeletedSpace(db, Object.keys(report.byTable));
  report.searchIndexRebuilt = await rebuildSearchIndexIfStale(db, {
    deletedFrom: Object.entries(report.byTable).flatMap(([table, n]) => (n.deleted > 0 ? [table] : [])),
    now,
  });
  return report;
}
