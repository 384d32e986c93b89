import { randomBytes } from 'node:crypto';

/** A new chat id: 144 random bits, base64url (24 characters). */
export const newChatId = (): string => randomBytes(18).toString('base64url');

/** A two-letter country code, or null for anything else (including the `XX`/`T1` placeholders proxies send). */
export function normalizeCountry(value: string | null | undefined): string | null {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) && code !== 'XX' && code !== 'T1' ? code : null;
}

/** The locale in canonical form (`de-at` → `de-AT`), or null if it is not a language tag. */
export function canonicalLocale(locale: string | null | undefined): string | null {
  if (!locale) return null;
  try {
    return new Intl.Locale(locale).toString();
  } catch {
    return null;
  }
}

/** The country in a locale's region subtag (`de-AT` → `AT`); never from the IP address. */
export function countryFromLocale(locale: string | null | undefined): string | null {
  if (!locale) return null;
  try {
    return normalizeCountry(new Intl.Locale(locale).region);
  } catch {
    return null;
  }
}

/**
 * The page a visitor is on, as agents see it: scheme, host and path only. Query strings and fragments often carry
 * search terms, emails or tokens, which an agent does not need and Parley should not keep.
 */
export function pageWithoutQuery(page: string | null | undefined): string | null {
  if (!page) return null;
  try {
    const url = new URL(page);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    // One string, where origin and path joined would be several: the page is kept for as long as the socket is open.
    return url.href.slice(0, 2048);
  } catch {
    return null;
  }
}
