import { z } from 'zod';
import type { Language } from './language.ts';

/** An ISO 8601 duration such as `P30D`, `P1Y`, `PT12H`. Weeks may not be mixed with other units. */
const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const IsoDuration = z
  .string()
  .regex(ISO_DURATION, { message: 'must be an ISO 8601 duration such as P30D or PT12H' });
export type IsoDuration = z.infer<typeof IsoDuration>;

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function parseDuration(value: string): DurationParts {
  const match = ISO_DURATION.exec(value);
  if (!match) throw new Error(`"${value}" is not an ISO 8601 duration`);
  const [, y, mo, w, d, h, mi, s] = match.map((part) => Number(part ?? 0));
  return {
    years: y ?? 0,
    months: mo ?? 0,
    weeks: w ?? 0,
    days: d ?? 0,
    hours: h ?? 0,
    minutes: mi ?? 0,
    seconds: s ?? 0,
  };
}

/** Adds a duration to a date using calendar arithmetic (UTC), the way a retention deadline is computed. */
export function addDuration(from: Date, value: string): Date {
  const p = parseDuration(value);
  const out = new Date(from.getTime());
  out.setUTCFullYear(
    out.getUTCFullYear() + p.years,
    out.getUTCMonth() + p.months,
    out.getUTCDate() + p.weeks * 7 + p.days,
  );
  out.setUTCHours(
    out.getUTCHours() + p.hours,
    out.getUTCMinutes() + p.minutes,
    out.getUTCSeconds() + p.seconds,
  );
  return out;
}

/** Subtracts a duration: the cut-off before which data collected (or an event that happened) has expired. */
export function subtractDuration(from: Date, value: string): Date {
  const p = parseDuration(value);
  const out = new Date(from.getTime());
  out.setUTCFullYear(
    out.getUTCFullYear() - p.years,
    out.getUTCMonth() - p.months,
    out.getUTCDate() - p.weeks * 7 - p.days,
  );
  out.setUTCHours(
    out.getUTCHours() - p.hours,
    out.getUTCMinutes() - p.minutes,
    out.getUTCSeconds() - p.seconds,
  );
  return out;
}

/** Upper bound of a duration in seconds (a month counts as 31 days, a year as 366), for comparing two durations. */
export function durationSeconds(value: string): number {
  const p = parseDuration(value);
  const days = p.years * 366 + p.months * 31 + p.weeks * 7 + p.days;
  return ((days * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds;
}

/** Each unit in the order a duration is read, singular and plural, in each language. */
const UNITS: Array<[keyof DurationParts, Record<Language, [string, string]>]> = [
  ['years', { en: ['year', 'years'], de: ['Jahr', 'Jahre'] }],
  ['months', { en: ['month', 'months'], de: ['Monat', 'Monate'] }],
  ['weeks', { en: ['week', 'weeks'], de: ['Woche', 'Wochen'] }],
  ['days', { en: ['day', 'days'], de: ['Tag', 'Tage'] }],
  ['hours', { en: ['hour', 'hours'], de: ['Stunde', 'Stunden'] }],
  ['minutes', { en: ['minute', 'minutes'], de: ['Minute', 'Minuten'] }],
  ['seconds', { en: ['second', 'seconds'], de: ['Sekunde', 'Sekunden'] }],
];
const NO_TIME: Record<Language, string> = { en: 'no time at all', de: 'keine Zeit' };

/** Plain-language rendering for people: `P30D` → "30 days" ("30 Tage"), `PT12H` → "12 hours". */
export function describeDuration(value: string, language: Language = 'en'): string {
  const p = parseDuration(value);
  const parts = UNITS.filter(([unit]) => p[unit] > 0).map(([unit, names]) => {
    const [one, many] = names[language];
    return `${p[unit]} ${p[unit] === 1 ? one : many}`;
  });
  return parts.length === 0 ? NO_TIME[language] : parts.join(' ');
}
