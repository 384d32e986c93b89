import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, describeError, humanLine, type LoggerOptions } from './logger.ts';

/** A logger writing into a string, and the lines it wrote so far. */
function collected(options: Omit<LoggerOptions, 'destination'> = {}) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => {
    text += String(chunk);
  });
  const log = createLogger({ ...options, destination: out });
  return { log, lines: () => text.split('\n').filter((line) => line !== '') };
}

describe('the log', () => {
  it('RET-4: writes an error as JSON with its class, code and stack frames, never its message', () => {
    const { log, lines } = collected({ human: false });
    const refusal = Object.assign(
      new Error('Message failed: 550 5.1.1 <marla.visitor@example.test>: Recipient address rejected'),
      { code: 'EENVELOPE' },
    );
    log.error('the mailer failed', refusal, { outbox: 3 });
    log.error('a socket frame handler failed', new SyntaxError('Unexpected token in "my secret order"'));
    const text = lines().join('\n');
    expect(text).not.toContain('marla.visitor@example.test');
    expect(text).not.toContain('my secret order');
    const [mailer, socket] = lines().map(
      (line) => JSON.parse(line) as Record<string, unknown> & { error: { stack: string[] } },
    );
    expect(mailer).toMatchObject({
      level: 'error',
      msg: 'the mailer failed',
      outbox: 3,
      error: { type: 'Error', code: 'EENVELOPE' },
    });
    expect(typeof mailer?.time).toBe('string');
    expect(mailer?.error.stack[0]).toMatch(/^at .*logger\.test\.ts/);
    expect(socket).toMatchObject({ level: 'error', error: { type: 'SyntaxError' } });
  });

  it('writes one JSON line per event, with the fields the caller gave', () => {
    const { log, lines } = collected({ human: false });
    log.info('Parley is listening on http://127.0.0.1:8787');
    log.warn('sockets caught up', { sockets: 2 });
    expect(lines().map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Parley is listening on http://127.0.0.1:8787' }),
      expect.objectContaining({ level: 'warn', msg: 'sockets caught up', sockets: 2 }),
    ]);
  });

  it('leaves out what is below PARLEY_LOG_LEVEL', () => {
    const { log, lines } = collected({ human: false, level: 'warn' });
    log.info('not shown');
    log.warn('shown');
    expect(lines().map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown']);
    const silent = collected({ human: false, level: 'silent' });
    silent.log.error('not shown either', new Error('x'));
    expect(silent.lines()).toEqual([]);
  });

  it('on a terminal, writes sentences a person reads: the first start’s sign-in stays as it was printed', () => {
    const { log, lines } = collected({ human: true });
    log.info('An operator account was created (shown this once only):\n  email:     ops@example.test');
    log.warn('the bus was back', { sockets: 2 });
    log.error('shutdown failed', Object.assign(new Error('secret'), { code: 'EPIPE' }));
    const text = lines().join('\n');
    expect(text).toContain(
      'An operator account was created (shown this once only):\n  email:     ops@example.test',
    );
    expect(text).toContain('warn: the bus was back (sockets=2)');
    expect(text).toMatch(/error: shutdown failed\n {2}Error \[EPIPE\]\n {6}at /);
    expect(text).not.toContain('secret');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(humanLine('plain words')).toBe('plain words');
  });

  it('says what was thrown when it is not an error, without its value', () => {
    expect(describeError('anna@example.org')).toBe('a thrown string');
    expect(describeError(null)).toBe('a thrown null');
  });
});
