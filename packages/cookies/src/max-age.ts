import type { CookieLifetime } from '@parley/policy';
import { CookieContradictionError } from './cookie-errors.ts';

// The policy's duration helpers live beside zod, which the widget must not bundle, so the widget gets this small
// copy of the calendar arithmetic. `max-age.test.ts` checks it against the policy's `addDuration`.

const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** When a cookie with this ISO 8601 lifetime, set at `now` (ms), ends: UTC calendar arithmetic. */
export function lifetimeEnd(lifetime: string, now: number): number {
  const match = ISO_DURATION.exec(lifetime);
  if (!match) throw new Error(`"${lifetime}" is not a duration`);
  const n = (i: number): number => Number(match[i] ?? 0);
  const end = new Date(now);
  end.setUTCFullYear(
    end.getUTCFullYear() + n(1),
    end.getUTCMonth() + n(2),
    end.getUTCDate() + 7 * n(3) + n(4),
  );
  end.setUTCHours(end.getUTCHours() + n(5), end.getUTCMinutes() + n(6), end.getUTCSeconds() + n(7));
  return end.getTime();
}

/**
 * The Max-Age for a cookie asked to live `requested`, or undefined for a session cookie; throws if that outlives
 * the declared lifetime. `end` turns a duration into its end time, so the server can use the policy's own helper.
 */
export function maxAgeWithin(
  name: string,
  declared: CookieLifetime,
  requested: CookieLifetime,
  now: number,
  end: (lifetime: string, now: number) => number = lifetimeEnd,
): number | undefined {
  if (requested === 'session') return undefined;
  if (declared === 'session' || end(requested, now) > end(declared, now))
    throw new CookieContradictionError(
      'cookie_lifetime_too_long',
      name,
      `cookie "${name}" may live ${declared === 'session' ? 'for the browser session' : declared}, not ${requested}`,
    );
  return Math.floor((end(requested, now) - now) / 1000);
}
