import {
  type PolicyContent,
  type Retention,
  type RetentionEvent,
  retentionUnderSignal,
} from '@parley/policy';
import { type ColumnClass, classification, type TableClass } from './classification.ts';

export interface ColumnRetention {
  retention: Retention;
  /** SQL expression (table alias `t`) for the moment the clock starts; NULL while it has not. */
  clock: string;
}

/** Why a column's retention cannot be resolved; the classification test prints these. */
export class RetentionResolutionError extends Error {
  readonly code = 'RETENTION_UNRESOLVED';
}

const clockOf = (table: TableClass, event: RetentionEvent): string | undefined =>
  table.clocks[event] ??
  (event === 'collected' && 'created_at' in table.columns ? 't.created_at' : undefined);

/**
 * The policy's retention for one personal column: the rule for its category and each subject, the store's own rule
 * first. A column about several subjects must have the same rule for all of them, and its clock must exist. With
 * `signal`, for rows about a visitor who sent a privacy signal: shortened to the policy's limit for them (SIG-1) in
 * tables that can tell such rows apart.
 */
export function columnRetention(
  content: PolicyContent,
  tableName: string,
  columnName: string,
  options: { signal?: boolean } = {},
): ColumnRetention {
  const table = classification[tableName];
  const column: ColumnClass | undefined = table?.columns[columnName];
  if (!table || !column) throw new RetentionResolutionError(`${tableName}.${columnName} is not classified`);
  if (column.kind !== 'personal')
    throw new RetentionResolutionError(`${tableName}.${columnName} holds no personal data`);
  const rules = column.subjects.map((subject) => {
    const candidates = content.retention.filter(
      (r) => r.category === column.category && r.subject === subject,
    );
    const rule =
      candidates.find((r) => table.store && r.store === table.store) ?? candidates.find((r) => !r.store);
    if (!rule)
      throw new RetentionResolutionError(
        `${tableName}.${columnName}: the policy has no retention for ${column.category} of ${subject}s`,
      );
    return rule.retention;
  });
  const first = rules[0]!;
  if (rules.some((r) => r.after !== first.after || r.keep !== first.keep)) {
    throw new RetentionResolutionError(
      `${tableName}.${columnName}: its subjects (${column.subjects.join(', ')}) have different retention rules`,
    );
  }
  const clock = clockOf(table, first.after);
  if (!clock)
    throw new RetentionResolutionError(
      `${tableName}.${columnName}: retention runs from "${first.after}", which this table has no clock for`,
    );
  return { retention: options.signal && table.signal ? retentionUnderSignal(content, first) : first, clock };
}
