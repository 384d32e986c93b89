import {
  type CookieName,
  cookieHeaderValue,
  serializeClearCookie,
  serializeSetCookie,
} from '@parley/cookies';
import type { CookieDeclaration, CookieLifetime } from '@parley/policy';
import type { Context } from 'hono';

// CK-7: the server's cookies are written only with values serialised by @parley/cookies, from the policy's
// declarations; this file is the one place that adds them to a response.

const append = (c: Context, header: string): void => {
  c.header('Set-Cookie', header, { append: true });
};

export function issueCookie(
  c: Context,
  declarations: readonly CookieDeclaration[],
  name: CookieName,
  value: string,
  lifetime?: CookieLifetime,
): void {
  append(c, serializeSetCookie(declarations, name, value, lifetime === undefined ? {} : { lifetime }));
}

export function expireCookie(c: Context, declarations: readonly CookieDeclaration[], name: CookieName): void {
  append(c, serializeClearCookie(declarations, name));
}

export const readCookie = (c: Context, name: CookieName): string | undefined =>
  cookieHeaderValue(c.req.header('cookie'), name);
