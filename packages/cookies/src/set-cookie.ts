import { addDuration, type CookieDeclaration, type CookieLifetime } from '@parley/policy';
import { CookieContradictionError } from './cookie-errors.ts';
import type { CookieName } from './declarations.ts';
import { assertCookieValue, declarationFor, scopeAttributes } from './declared-cookie.ts';
import { maxAgeWithin } from './max-age.ts';

// The only code in Parley that produces a Set-Cookie header value (CK-7). Everything but the value comes from the
// declaration; options exist so a caller can ask for a shorter life, and so a caller's wrong belief about an
// attribute fails loudly instead of being silently overridden.

export { cookieHeaderValue } from './cookie-header.ts';

export interface SetCookieOptions {
  /** Defaults to the declared lifetime; may be shorter (a decision under a privacy signal), never longer. */
  lifetime?: CookieLifetime;
  /** The moment the cookie is set, for month and year lifetimes, whose length depends on the calendar. */
  now?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: CookieDeclaration['sameSite'];
  path?: string;
}

const ATTRIBUTES = ['httpOnly', 'secure', 'sameSite', 'path'] as const;

const serverDeclaration = (declarations: readonly CookieDeclaration[], name: CookieName): CookieDeclaration =>
  declarationFor(declarations, name, 'server');

const tail = (declaration: CookieDeclaration): string =>
  `${scopeAttributes(declaration)}${declaration.httpOnly ? '; HttpOnly' : ''}`;

const endOf = (lifetime: string, now: number): number => addDuration(new Date(now), lifetime).getTime();

export function serializeSetCookie(
  declarations: readonly CookieDeclaration[],
  name: CookieName,
  value: string,
  options: SetCookieOptions = {},
): string {
  const declaration = serverDeclaration(declarations, name);
  for (const attribute of ATTRIBUTES) {
    const asked = options[attribute];
    if (asked !== undefined && asked !== declaration[attribute])
      throw new CookieContradictionError(
        'cookie_attribute_mismatch',
        name,
        `cookie "${name}" is declared with ${attribute}=${String(declaration[attribute])}, not ${String(asked)}`,
      );
  }
  assertCookieValue(name, value);
  const now = (options.now ?? new Date()).getTime();
  const maxAge = maxAgeWithin(
    name,
    declaration.lifetime,
    options.lifetime ?? declaration.lifetime,
    now,
    endOf,
  );
  return `${name}=${value}${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}${tail(declaration)}`;
}

/**
 * Deletes the cookie (CK-1 sign-out). A browser replaces a cookie only with one on the same path, so the declared
 * Path is repeated.
 */
export const serializeClearCookie = (declarations: readonly CookieDeclaration[], name: CookieName): string =>
  `${name}=; Max-Age=0${tail(serverDeclaration(declarations, name))}`;
