import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.ts';

describe('SignInThrottle', () => {
  it('SEC-1: locks an email after the maximum of failures, until the window has passed', () => {
    const throttle = new SignInThrottle(3, 1000);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('a', 100)).toBe(0);
      throttle.fail('a', 100);
    }
    expect(throttle.retryAfter('a', 600)).toBe(500);
    expect(throttle.retryAfter('b', 600)).toBe(0);
    expect(throttle.retryAfter('a', 1100)).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new SignInThrottle(2, 1000);
    throttle.fail('a', 0);
    throttle.reset('a');
    throttle.fail('a', 0);
    expect(throttle.retryAfter('a', 0)).toBe(0);
  });

  it('keeps a bounded number of entries', () => {
    const throttle = new SignInThrottle(1, 1000, 2);
    throttle.fail('a', 0);
    throttle.fail('b', 0);
    throttle.fail('c', 0);
    expect(throttle.retryAfter('a', 0)).toBe(0);
    expect(throttle.retryAfter('c', 0)).toBe(1000);
  });
});
