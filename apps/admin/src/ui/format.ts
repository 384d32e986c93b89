const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const numbers = new Intl.NumberFormat();

export const formatDateTime = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : dateTime.format(new Date(ms));
export const formatDate = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : dateOnly.format(new Date(ms));
export const formatNumber = (n: number): string => numbers.format(n);

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** `offline_message` → `Offline message`. */
export const humanize = (key: string): string => {
  const words = key.replaceAll('_', ' ').replaceAll('.', ' · ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const DAY = 86_400_000;

/** Whole days between two instants, rounded up: "due in 1 day" until the deadline has passed. */
export const daysBetween = (from: number, to: number): number => Math.ceil((to - from) / DAY);

/** `YYYY-MM-DD` of a local date, as `<input type="date">` wants it. */
export const isoDay = (date: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** Ids and counts from an audit entry's detail, as one line. */
export function describeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([key, value]) => {
      if (value !== null && typeof value === 'object') {
        const inner = Object.entries(value as Record<string, unknown>);
        if (inner.every(([, v]) => typeof v === 'number'))
          return `${key}: ${inner.reduce((sum, [, v]) => sum + (v as number), 0)}`;
        return `${key}: ${Array.isArray(value) ? value.join(', ') : `${inner.length} items`}`;
      }
      return `${key}: ${String(value)}`;
    })
    .join('; ');
}
