import { type SQL, sql } from 'drizzle-orm';
import { type ColumnClass, classification, type LinkRoute } from './classification.ts';

/**
 * Where a visitor's data lives, derived from the classification rather than listed by hand: every column that links
 * a row to a visitor, and every column holding a visitor's email (an offline message can arrive before any visitor
 * row exists). A new table that holds visitor data is therefore exported and erased without touching this code.
 */
export interface VisitorDataLocation {
  table: string;
  column: string;
  /** `link`: the column holds the visitor id. `email`: it holds the visitor's email address. */
  match: 'link' | 'email';
  onErase: 'delete_row' | 'set_null';
  /** Whether the table has an `account_id` column to scope the match to one account. */
  scoped: boolean;
  /** Rows are found through this parent table rather than by the column itself (see `LinkRoute`). */
  via?: LinkRoute & { scoped: boolean };
}

const isVisitorLink = (c: ColumnClass): c is Extract<ColumnClass, { kind: 'link' }> =>
  c.kind === 'link' && c.subject === 'visitor';
const isVisitorEmail = (c: ColumnClass) =>
  c.kind === 'personal' && c.category === 'user.contact.email' && c.subjects.includes('visitor');

export function visitorDataLocations(): VisitorDataLocation[] {
  return Object.entries(classification).flatMap(([table, t]) => {
    const scoped = 'account_id' in t.columns;
    return Object.entries(t.columns).flatMap(([column, c]): VisitorDataLocation[] => {
      if (isVisitorLink(c)) {
        const via = c.via && {
          ...c.via,
          scoped: 'account_id' in (classification[c.via.table]?.columns ?? {}),
        };
        return [{ table, column, match: 'link', onErase: c.onErase, scoped, ...(via ? { via } : {}) }];
      }
      // The visitors table's own email is reached through its id; other tables may hold an email without a link.
      if (isVisitorEmail(c) && table !== 'visitors')
        return [{ table, column, match: 'email', onErase: 'delete_row', scoped }];
      return [];
    });
  });
}

/**
 * The rows of `location` that belong to the visitor `value` identifies, as an SQL condition on the table's own
 * columns. Erasure and export both select rows this way, so they always agree on what a visitor's data is.
 */
export function visitorRowsCondition(location: VisitorDataLocation, accountId: string, value: string): SQL {
  const where = (scoped: boolean) =>
    scoped
      ? sql`${sql.identifier(location.column)} = ${value} AND account_id = ${accountId}`
      : sql`${sql.identifier(location.column)} = ${value}`;
  const { via } = location;
  if (!via) return where(location.scoped);
  return sql`${sql.identifier(via.column)} IN (SELECT id FROM ${sql.identifier(via.table)} WHERE ${where(via.scoped)})`;
}
