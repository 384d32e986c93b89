import type { CookieDeclaration, CookieLifetime } from '@parley/policy';
import { cookieHeaderValue } from './cookie-header.ts';
import type { CookieName } from './declarations.ts';
import { assertCookieValue, declarationFor, scopeAttributes } from './declared-cookie.ts';
import { maxAgeWithin } from './max-age.ts';

// Bundled into the widget, under a 2 KB gzip budget for the launcher: only type imports from the policy, and the
// declarations are handed in (the widget build computes them from the policy).

export { type CookieDecision, decideCookies, type WidgetContext } from './decide-cookies.ts';

export interface BrowserCookies {
  /** Throws if the policy does not declare the cookie for the widget, or `lifetime` outlives the declared one. */
  write(name: CookieName, value: string, lifetime: CookieLifetime): void;
  read(name: CookieName): string | undefined;
  /** Writes nothing when the cookie is absent, so a visitor who has not acted sees no cookie write at all (CK-7). */
  remove(name: CookieName): void;
}

export function createBrowserCookies(
  declarations: readonly CookieDeclaration[],
  doc: { cookie: string } = document,
  now: () => number = Date.now,
): BrowserCookies {
  const declared = (name: CookieName) => declarationFor(declarations, name, 'widget');
  const read = (name: CookieName) => cookieHeaderValue(doc.cookie, name);
  return {
    write(name, value, lifetime) {
      const declaration = declared(name);
      assertCookieValue(name, value);
      const maxAge = maxAgeWithin(name, declaration.lifetime, lifetime, now());
      doc.cookie = `${name}=${value}${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}${scopeAttributes(declaration)}`;
    },
    read,
    remove(name) {
      const declaration = declared(name);
      if (read(name) !== undefined) doc.cookie = `${name}=; Max-Age=0${scopeAttributes(declaration)}`;
    },
  };
}
