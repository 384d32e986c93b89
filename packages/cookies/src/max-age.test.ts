import { addDuration } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { CookieContradictionError } from './cookie-errors.ts';
import { lifetimeEnd, maxAgeWithin } from './max-age.ts';

const DURATIONS = ['P30D', 'P1Y', 'P1M', 'P2W', 'PT12H', 'PT90M', 'PT45S', 'P1Y2M3DT4H5M6S', 'P0D'];
const MOMENTS = [
  '2026-01-31T23:59:59.250Z',
  '2028-02-29T12:00:00Z',
  '2027-03-01T00:00:00Z',
  '2026-03-29T01:30:00Z',
  '2026-12-31T23:00:00Z',
];

describe('lifetimeEnd (the widget’s copy of the calendar arithmetic)', () => {
  it.each(DURATIONS.flatMap((duration) => MOMENTS.map((moment) => [duration, moment])))(
    'agrees with the policy’s addDuration: %s from %s',
    (duration, moment) => {
      const now = new Date(moment!).getTime();
      expect(lifetimeEnd(duration!, now)).toBe(addDuration(new Date(now), duration!).getTime());
    },
  );

  it.each(['P', 'PT', 'P1DT', '30D', 'P1.5D', 'session', ''])('rejects %j', (text) => {
    expect(() => lifetimeEnd(text, 0)).toThrow();
  });
});

describe('maxAgeWithin', () => {
  const now = Date.UTC(2026, 0, 15);
  it.each<[string, string, number | undefined]>([
    ['P30D', 'P30D', 30 * 86_400],
    ['P30D', 'PT1H', 3600],
    ['P30D', 'session', undefined],
    ['session', 'session', undefined],
    ['P1M', 'P31D', 31 * 86_400],
  ])('declared %s, asked %s', (declared, requested, expected) => {
    expect(maxAgeWithin('c', declared, requested, now)).toBe(expected);
  });

  it.each([
    ['P30D', 'P31D'],
    ['P30D', 'PT721H'],
    ['session', 'PT1S'],
  ])('declared %s refuses %s', (declared, requested) => {
    expect(() => maxAgeWithin('c', declared, requested, now)).toThrow(CookieContradictionError);
  });
});
