import type { CookieDeclaration } from '@parley/policy';
import { CookieContradictionError, InvalidCookieValueError, UndeclaredCookieError } from './cookie-errors.ts';

// Shared by the server's Set-Cookie writer and the widget's document.cookie writer, so this file must stay free
// of runtime imports that would pull zod or the policy model into the widget bundle.

/** RFC 6265 cookie-octets: printable ASCII except space, DQUOTE, comma, semicolon and backslash. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

export function declarationFor(
  declarations: readonly CookieDeclaration[],
  name: string,
  setter: CookieDeclaration['setBy'],
): CookieDeclaration {
  const declaration = declarations.find((d) => d.name === name);
  if (!declaration) throw new UndeclaredCookieError(name);
  if (declaration.setBy !== setter)
    throw new CookieContradictionError(
      'cookie_wrong_setter',
      name,
      `cookie "${name}" is declared as set by the ${declaration.setBy}, not the ${setter}`,
    );
  return declaration;
}

export function assertCookieValue(name: string, value: string): void {
  if (!COOKIE_VALUE.test(value)) throw new InvalidCookieValueError(name);
}

/** No Domain attribute: every Parley cookie is host-only, the narrowest scope a browser offers. */
export const scopeAttributes = (declaration: CookieDeclaration): string =>
  `; Path=${declaration.path}${declaration.secure ? '; Secure' : ''}; SameSite=${declaration.sameSite}`;
