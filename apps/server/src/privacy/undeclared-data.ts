import { undeclaredColumns } from '@parley/db';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';

/** The column a field is written to: `imHandle` → `im_handle`. */
export const columnOf = (field: string): string =>
  field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The fields of a change that are given a value (clearing one is always allowed). */
export const fieldsGiven = (changes: Record<string, unknown>): string[] =>
  Object.entries(changes)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([field]) => field);

/**
 * CHG-1: a value for a kind of data that the version in force does not declare is refused; a version that adds it
 * may be announced, but nothing is collected under it before it applies. Clearing a field is always allowed, so
 * only the fields given a value are passed in.
 */
export function refuseUndeclared(s: Services, table: string, fields: readonly string[]): void {
  const undeclared = undeclaredColumns(s.content, table, fields.map(columnOf));
  if (undeclared.length === 0) return;
  const names = undeclared.map((u) => u.column.replaceAll('_', ' ')).join(', ');
  throw new AppError(
    'invalid_input',
    'The privacy policy in force (version {version}) does not cover storing {names} yet; it can be given once the version that does applies.',
    { values: { version: s.policyVersion.version, names } },
  );
}
