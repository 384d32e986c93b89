import { type PolicyContent, type Retention, subtractDuration } from '@parley/policy';
import type { Statement } from 'better-sqlite3';
import { classification } from './classification.ts';
import { columnRetention } from './column-retention.ts';
import { checkpoint, type ParleyDb, sqliteOf } from './connection.ts';
import { removeOrphanFiles, removeRowFiles } from './row-files.ts';
import { childTablesFirst } from './table-order.ts';
import { tableShape } from './table-shape.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

export interface SweepReport {
  /** Rows deleted or values cleared, per policy data category. */
  byCategory: Record<string, number>;
  byTable: Record<string, { deleted: number; cleared: number }>;
  /** Files removed with their rows, or because their row was already gone, per file store. */
  files: Record<string, number>;
  batches: number;
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
}

interface ExpiryGroup {
  /** SQL: this group's clock has run out for the row aliased `t`. */
  expired: string;
  columns: string[];
  categories: string[];
}

/** SQL: one column as itself, several as a row value (`(a, b)`), which SQLite and PostgreSQL compare in order. */
const tuple = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`);

/**
 * SQL: the row's primary key (`key`) is one of `n` keys bound in order: a list of values for one column, a list of
 * row values for several (`IN (VALUES (?, ?), …)`: SQLite compares a row value only with a subquery's rows).
 */
const keysIn = (key: string[], n: number) =>
  key.length === 1
    ? `"${key[0]}" IN (${Array(n).fill('?').join(', ')})`
    : `${tuple(key.map((c) => `"${c}"`))} IN (VALUES ${Array(n)
        .fill(tuple(key.map(() => '?')))
        .join(', ')})`;

/** SQL: the row's clock has started and reached `cutoff`. */
const reached = (clock: string, cutoff: number) => `(${clock}) IS NOT NULL AND (${clock}) <= ${cutoff}`;

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
          `(${reached(clock, cutoff)}) OR (${reached(clock, signalCutoff)} AND (${signal}))`
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
 * whose row is already gone. Works in small batches with a pause between them, then checkpoints the WAL so that
 * deleted data does not linger on disk.
 */
export async function sweepRetention(
  db: ParleyDb,
  content: PolicyContent,
  options: SweepOptions = {},
): Promise<SweepReport> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 100;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const report: SweepReport = { byCategory: {}, byTable: {}, files: {}, batches: 0 };
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
  const repeat = async (
    table: string,
    where: string,
    change: (rows: string) => string,
    onChanged: (n: number) => void,
  ) => {
    const store = classification[table]!.files;
    const { key } = tableShape(table);
    if (key.length === 0) throw new Error(`table "${table}" has no primary key to sweep it by`);
    const selected = key.map((c) => `t."${c}"`).join(', ');
    const returned = [...new Set(store ? [...key, 'id'] : key)].map((c) => `"${c}"`).join(', ');
    // The first batch has no lower bound; the others start after the last batch's last key.
    const picks = [false, true].map((bounded) =>
      sqliteOf(db)
        .prepare(
          `SELECT ${selected} FROM "${table}" t
           WHERE ${bounded ? `${tuple(key.map((c) => `t."${c}"`))} > ${tuple(key.map(() => '?'))} AND ` : ''}${where}
           ORDER BY ${selected} LIMIT ${batchSize}`,
        )
        .raw(),
    ) as [Statement, Statement];
    // The change reaches the picked rows by their keys, so the condition is not evaluated twice; one statement per
    // number of keys (a full batch, and the last one).
    const changes = new Map<number, Statement>();
    const changeOf = (n: number) => {
      let statement = changes.get(n);
      if (!statement) {
        statement = sqliteOf(db).prepare(`${change(keysIn(key, n))} RETURNING ${returned}`);
        changes.set(n, statement);
      }
      return statement;
    };
    let after: unknown[] | undefined;
    for (;;) {
      // The statements were prepared before a pause: a transaction opened meanwhile must not take in its batch.
      if (blockedByTransaction(db)) await whenFree(db);
      const keys = (after ? picks[1].all(...after) : picks[0].all()) as unknown[][];
      report.batches++;
      const rows =
        keys.length > 0 ? (changeOf(keys.length).all(...keys.flat()) as Array<Record<string, unknown>>) : [];
      if (rows.length > 0) onChanged(rows.length);
      if (store)
        addFiles(
          store,
          await removeRowFiles(
            db,
            table,
            rows.map((row) => String(row.id)),
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

  for (const table of childTablesFirst(tables)) {
    const groups = expiryGroups(content, table, now);
    const required = groups.filter((g) => g.notNull);
    const rowExpired = (required.length > 0 ? required : groups).map((g) => `(${g.expired})`).join(' AND ');
    const allCategories = [...new Set(groups.flatMap((g) => g.categories))];
    await repeat(
      table,
      `(${rowExpired})`,
      (rows) => `DELETE FROM "${table}" WHERE ${rows}`,
      (n) => add(table, 'deleted', allCategories, n),
    );
    for (const group of groups.filter((g) => !g.notNull)) {
      const set = group.columns.map((c) => `"${c}" = NULL`).join(', ');
      const holdsData = group.columns.map((c) => `t."${c}" IS NOT NULL`).join(' OR ');
      await repeat(
        table,
        `(${group.expired}) AND (${holdsData})`,
        (rows) => `UPDATE "${table}" SET ${set} WHERE ${rows}`,
        (n) => add(table, 'cleared', group.categories, n),
      );
    }
    await pause();
  }
  for (const [store, n] of Object.entries(await removeOrphanFiles(db))) addFiles(store, n);
  if (blockedByTransaction(db)) await whenFree(db);
  sqliteOf(db)
    .prepare('INSERT INTO audit_log (actor_kind, action, detail, created_at) VALUES (?, ?, ?, ?)')
    .run(
      'system',
      'retention.sweep',
      JSON.stringify({ byCategory: report.byCategory, byTable: report.byTable, files: report.files }),
      now,
    );
  await checkpoint(db);
  return report;
}
