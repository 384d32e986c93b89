import { type ColumnClass, classification } from './classification.ts';

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
}

const isVisitorLink = (c: ColumnClass) => c.kind === 'link' && c.subject === 'visitor';
const isVisitorEmail = (c: ColumnClass) =>
  c.kind === 'personal' && c.category === 'user.contact.email' && c.subjects.includes('visitor');

export function visitorDataLocations(): VisitorDataLocation[] {
  return Object.entries(classification).flatMap(([table, t]) => {
    const scoped = 'account_id' in t.columns;
    return Object.entries(t.columns).flatMap(([column, c]): VisitorDataLocation[] => {
      if (isVisitorLink(c))
        return [
          { table, column, match: 'link', onErase: c.kind === 'link' ? c.onErase : 'delete_row', scoped },
        ];
      // The visitors table's own email is reached through its id; other tables may hold an email without a link.
      if (isVisitorEmail(c) && table !== 'visitors')
        return [{ table, column, match: 'email', onErase: 'delete_row', scoped }];
      return [];
    });
  });
}
