import { type PolicyContent, type Retention, subtractDuration } from '@parley/policy';
import { classification } from './classification.ts';
import { columnRetention } from './column-retention.ts';
import { checkpoint, type ParleyDb } from './connection.ts';
import { childTablesFirst } from './table-order.ts';

export interface SweepReport {
  /** Rows deleted or values cleared, per policy data category. */
  byCategory: Record<string, number>;
  byTable: Record<string, { deleted: number; cleared: number }>;
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

/** SQL: the row's clock has started and reached `cutoff`. */
const reached = (clock: string, cutoff: number) => `(${clock}) IS NOT NULL AND (${clock}) <= ${cutoff}`;

/**
 * Per table: its personal columns grouped by the retention the policy gives them. In a table that can tell rows
 * about a visitor who sent a privacy signal, those rows expire by the shorter retention the policy gives them (SIG-1).
 */
function expiryGroups(db: ParleyDb, content: PolicyContent, table: string, now: number) {
  const notNull = new Set(
    (db.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; notnull: number }>)
      .filter((c) => c.notnull === 1)
      .map((c) => c.name),
  );
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
 * columns are cleared on their own. Works in small batches with a pause between them, then checkpoints the WAL so
 * that deleted data does not linger on disk.
 */
export async function sweepRetention(
  db: ParleyDb,
  content: PolicyContent,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 100;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const report: SweepReport = { byCategory: {}, byTable: {}, batches: 0 };
  const tables = Object.keys(classification).filter((table) =>
    Object.values(classification[table]!.columns).some((c) => c.kind === 'personal'),
  );

  // `change` ends in `WHERE rowid IN (<pick>)`, where the pick takes the next `batchSize` matching rows after
  // a rowid, in rowid order, and the statement returns the rowids it changed. Each batch starts where the
  // last one stopped, so a sweep reads every row once; starting each batch from the top of the table made it
  // pass over all the rows still kept, again and again (quadratic on a large table, and batches of seconds
  // under live chat).
  const repeat = async (change: string, onChanged: (n: number) => void) => {
    const statement = db.sqlite.prepare(`${change} RETURNING rowid`).pluck();
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rowids = statement.all(after) as number[];
      report.batches++;
      if (rowids.length > 0) onChanged(rowids.length);
      if (rowids.length < batchSize) return;
      after = Math.max(...rowids);
      await pause();
    }
  };
  const pick = (table: string, where: string) =>
    `SELECT t.rowid FROM "${table}" t WHERE t.rowid > ? AND ${where} ORDER BY t.rowid LIMIT ${batchSize}`;
  const add = (table: string, kind: 'deleted' | 'cleared', categories: string[], n: number) => {
    const entry = report.byTable[table] ?? { deleted: 0, cleared: 0 };
    report.byTable[table] = entry;
    entry[kind] += n;
    for (const category of categories) report.byCategory[category] = (report.byCategory[category] ?? 0) + n;
  };

  for (const table of childTablesFirst(db, tables)) {
    const groups = expiryGroups(db, content, table, now);
    const required = groups.filter((g) => g.notNull);
    const rowExpired = (required.length > 0 ? required : groups).map((g) => `(${g.expired})`).join(' AND ');
    const allCategories = [...new Set(groups.flatMap((g) => g.categories))];
    await repeat(`DELETE FROM "${table}" WHERE rowid IN (${pick(table, `(${rowExpired})`)})`, (n) =>
      add(table, 'deleted', allCategories, n),
    );
    for (const group of groups.filter((g) => !g.notNull)) {
      const set = group.columns.map((c) => `"${c}" = NULL`).join(', ');
      const holdsData = group.columns.map((c) => `t."${c}" IS NOT NULL`).join(' OR ');
      await repeat(
        `UPDATE "${table}" SET ${set} WHERE rowid IN (${pick(table, `(${group.expired}) AND (${holdsData})`)})`,
        (n) => add(table, 'cleared', group.categories, n),
      );
    }
    await pause();
  }
  db.sqlite
    .prepare('INSERT INTO audit_log (actor_kind, action, detail, created_at) VALUES (?, ?, ?, ?)')
    .run(
      'system',
      'retention.sweep',
      JSON.stringify({ byCategory: report.byCategory, byTable: report.byTable }),
      now,
    );
  await checkpoint(db);
  return report;
}
