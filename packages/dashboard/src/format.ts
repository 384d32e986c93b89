import { currentLanguage } from './i18n/i18n.ts';

/** Dates, countries and counts as an agent reads them, in the dashboard's language. */

const locale = (): string => currentLanguage();

/** "14:05" today, "Tue 14:05" this week, "3 Mar 2025, 14:05" otherwise. */
export function formatWhen(iso: string, now: Date = new Date(), lang: string | undefined = locale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const time: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) return new Intl.DateTimeFormat(lang, time).format(date);
  const days = (now.getTime() - date.getTime()) / 86_400_000;
  if (days >= 0 && days < 6) return new Intl.DateTimeFormat(lang, { weekday: 'short', ...time }).format(date);
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric', ...time }).format(
    date,
  );
}

/** A full date and time for tooltips and `<time>` labels. */
export function formatFull(iso: string, lang: string | undefined = locale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string, lang: string | undefined = locale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(date);
}

/** The time it is now in an IANA time zone ("14:05"), or '' for a zone the browser does not know. */
export function formatLocalTime(
  timeZone: string,
  now: Date = new Date(),
  lang: string | undefined = locale(),
): string {
  try {
    return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit', timeZone }).format(now);
  } catch {
    return '';
  }
}

/** "Germany (DE)" from an ISO 3166-1 alpha-2 code; the code alone if the browser has no name for it. */
export function countryName(code: string, lang: string | undefined = locale()): string {
  const upper = code.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) return code;
  try {
    const name = new Intl.DisplayNames(lang ? [lang] : undefined, { type: 'region' }).of(upper);
    return name && name !== upper ? `${name} (${upper})` : upper;
  } catch {
    return upper;
  }
}

/** "German (Austria)" from a language tag such as `de-AT`; the tag itself if the browser has no name for it. */
export function languageName(tag: string, lang: string | undefined = locale()): string {
  try {
    return new Intl.DisplayNames(lang ? [lang] : undefined, { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
