import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.ts';

describe('SEC-1: the sign-in throttle', () => {
  const setup = () => {
    let now = 1_000_000;
    const throttle = new SignInThrottle(undefined, () => now);
    return { throttle, advance: (ms: number) => (now += ms) };
  };

  it('SEC-1: lets five failures through, then makes each further attempt wait twice as long', () => {
    const { throttle } = setup();
    const attempt = { email: 'adam@acme.test', address: '203.0.113.7' };
    for (let i = 0; i < 5; i++) {
      expect(throttle.waitMs(attempt)).toBe(0);
      throttle.fail(attempt);
    }
    expect(throttle.waitMs(attempt)).toBe(1000);
    throttle.fail(attempt);
    expect(throttle.waitMs(attempt)).toBe(2000);
  });

  it('SEC-1: holds back one address guessing at many emails, later than one email', () => {
    const { throttle } = setup();
    for (let i = 0; i < 20; i++) throttle.fail({ email: `person${i}@acme.test`, address: '203.0.113.7' });
    expect(throttle.waitMs({ email: 'new@acme.test', address: '203.0.113.7' })).toBeGreaterThan(0);
    expect(throttle.waitMs({ email: 'new@acme.test', address: '198.51.100.1' })).toBe(0);
  });

  it('forgets failures after 15 minutes, and a correct password clears the email', () => {
    const { throttle, advance } = setup();
    const attempt = { email: 'adam@acme.test' };
    for (let i = 0; i < 8; i++) throttle.fail(attempt);
    expect(throttle.waitMs(attempt)).toBeGreaterThan(0);
    advance(15 * 60_000 + 1);
    expect(throttle.waitMs(attempt)).toBe(0);
    for (let i = 0; i < 8; i++) throttle.fail(attempt);
    throttle.succeed(attempt);
    expect(throttle.waitMs(attempt)).toBe(0);
  });
});
