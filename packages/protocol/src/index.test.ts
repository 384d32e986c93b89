import { describe, expect, it } from 'vitest';
import { AgentFrame, AgentSocketQuery, LIMITS, parseFrame, VisitorFrame } from './index.ts';

const key = 'key_0123456789';

describe('parseFrame', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{"type":', /not valid JSON/],
    ['a JSON array', '[1,2]', /invalid/i],
    ['an unknown type', '{"type":"teleport"}', /type/],
    ['an empty message', JSON.stringify({ type: 'send', key, text: '   ' }), /text: message is empty/],
    [
      'an over-long message',
      JSON.stringify({ type: 'send', key, text: 'x'.repeat(LIMITS.maxMessageChars + 1) }),
      /longer than 4000/,
    ],
    ['a malformed idempotency key', JSON.stringify({ type: 'send', key: 'a b', text: 'hi' }), /key must be/],
    [
      "a chat id that is not Parley's",
      JSON.stringify({ type: 'hello', chatId: '../../etc', persistent: true }),
      /chatId/,
    ],
    ['an invalid email', JSON.stringify({ type: 'transcript', email: 'not-an-email' }), /email/],
    ['a rating of 6', JSON.stringify({ type: 'rate', rating: 6 }), /rating/],
    ['a hello without its cookie lifetime', JSON.stringify({ type: 'hello' }), /persistent/],
    [
      'a privacy signal that is not true or false',
      JSON.stringify({ type: 'hello', persistent: false, privacySignal: '1' }),
      /privacySignal/,
    ],
  ];
  it.each(cases)('refuses %s with a message that says what is wrong', (_title, raw, message) => {
    const result = parseFrame(VisitorFrame, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid_frame');
      expect(result.message).toMatch(message);
    }
  });

  it('accepts a valid send and trims its text', () => {
    expect(parseFrame(VisitorFrame, JSON.stringify({ type: 'send', key, text: '  hello  ' }))).toEqual({
      ok: true,
      frame: { type: 'send', key, text: 'hello' },
    });
  });

  it('SIG-1: a hello carries the privacy signal the widget saw, and without one means none', () => {
    const hello = (extra: object) =>
      parseFrame(VisitorFrame, JSON.stringify({ type: 'hello', persistent: false, ...extra }));
    expect(hello({ privacySignal: true })).toEqual({
      ok: true,
      frame: { type: 'hello', persistent: false, privacySignal: true },
    });
    expect(hello({})).toEqual({ ok: true, frame: { type: 'hello', persistent: false } });
  });

  it('a hello may name the last message the widget holds, as an id of at most 64 characters', () => {
    const hello = (after: unknown) =>
      parseFrame(VisitorFrame, JSON.stringify({ type: 'hello', persistent: true, after }));
    expect(hello('msg_0mhx2k1q0abcdefghijklmnop')).toEqual({
      ok: true,
      frame: { type: 'hello', persistent: true, after: 'msg_0mhx2k1q0abcdefghijklmnop' },
    });
    expect(hello('')).toMatchObject({ ok: false, message: /^after: / });
    expect(hello('m'.repeat(65))).toMatchObject({ ok: false, message: /^after: / });
  });

  it('the agent socket resumes from a message id in its query, or not at all', () => {
    expect(AgentSocketQuery.safeParse(Object.fromEntries(new URLSearchParams('after=msg_1'))).data).toEqual({
      after: 'msg_1',
    });
    expect(AgentSocketQuery.safeParse({}).data).toEqual({});
    expect(AgentSocketQuery.safeParse({ after: 'm'.repeat(65) }).success).toBe(false);
  });

  it('accepts an opt-out carrying the text that was shown, in English unless it says another language', () => {
    const english = parseFrame(VisitorFrame, JSON.stringify({ type: 'opt_out', text: 'Turn chat off?' }));
    expect(english.ok && english.frame).toEqual({ type: 'opt_out', text: 'Turn chat off?', language: 'en' });
    const german = parseFrame(
      VisitorFrame,
      JSON.stringify({ type: 'opt_out', text: 'Chat abschalten?', language: 'de' }),
    );
    expect(german.ok && german.frame).toEqual({ type: 'opt_out', text: 'Chat abschalten?', language: 'de' });
    const polish = parseFrame(
      VisitorFrame,
      JSON.stringify({ type: 'opt_out', text: 'Wyłączyć czat?', language: 'pl' }),
    );
    expect(polish.ok && polish.frame).toMatchObject({ language: 'pl' });
    // Only a language the widget speaks.
    expect(
      parseFrame(VisitorFrame, JSON.stringify({ type: 'opt_out', text: 'Chat uitzetten?', language: 'xx' }))
        .ok,
    ).toBe(false);
  });

  it('does not let a visitor frame pass as an agent frame', () => {
    expect(parseFrame(AgentFrame, JSON.stringify({ type: 'send', key, text: 'hi' })).ok).toBe(false);
    expect(
      parseFrame(AgentFrame, JSON.stringify({ type: 'send', key, conversationId: 'cnv_1', text: 'hi' })).ok,
    ).toBe(true);
  });

  it('drops keys the schema does not know, so nothing unexpected reaches the server', () => {
    const result = parseFrame(
      VisitorFrame,
      '{"type":"typing","typing":true,"__proto__":{"admin":true},"extra":1}',
    );
    expect(result).toEqual({ ok: true, frame: { type: 'typing', typing: true } });
  });
});
