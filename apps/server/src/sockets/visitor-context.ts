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
