import { describe, expect, it } from 'vitest';
import { formatLocalTime } from './format.ts';

describe('formatLocalTime', () => {
  const noonInLondon = new Date('2026-12-06T12:05:00Z');

  it('gives the time it is now in the visitor’s zone', () => {
    expect(formatLocalTime('Europe/Vienna', noonInLondon, 'en-GB')).toBe('13:05');
    expect(formatLocalTime('Asia/Kolkata', noonInLondon, 'en-GB')).toBe('17:35');
  });

  it('gives nothing for a zone the browser does not know', () => {
    expect(formatLocalTime('Mars/Olympus_Mons', noonInLondon, 'en-GB')).toBe('');
  });
});
