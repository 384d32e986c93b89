import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger, describeError } from './logger.ts';

afterEach(() => vi.restoreAllMocks());

describe('the console logger', () => {
  it('RET-4: writes an error’s class, code and stack frames, never its message, which may hold personal data', () => {
    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => printed.push(parts.join(' ')));
    const refusal = Object.assign(
      new Error('Message failed: 550 5.1.1 <marla.visitor@example.test>: Recipient address rejected'),
      { code: 'EENVELOPE' },
    );
    consoleLogger.error('the mailer failed', refusal);
    consoleLogger.error(
      'a socket frame handler failed',
      new SyntaxError('Unexpected token in "my secret order"'),
    );
    const text = printed.join('\n');
    expect(text).not.toContain('marla.visitor@example.test');
    expect(text).not.toContain('my secret order');
    expect(text).toContain('the mailer failed Error [EENVELOPE]');
    expect(text).toContain('SyntaxError');
    expect(text).toMatch(/\n\s+at .*logger\.test\.ts/);
  });

  it('says what was thrown when it is not an error, without its value', () => {
    expect(describeError('anna@example.org')).toBe('a thrown string');
    expect(describeError(null)).toBe('a thrown null');
  });
});
