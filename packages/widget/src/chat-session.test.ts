import { widgetCookieDeclarations } from '@parley/cookies';
import { createBrowserCookies } from '@parley/cookies/browser';
import { fakeCookieDocument } from '@parley/cookies/testing';
import type { ChatMessage, ServerToVisitor } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/fake-socket.ts';
import {
  ChatSession,
  type ChatSessionOptions,
  type ConnectionState,
  HEARTBEAT,
  OPT_OUT_WAIT_MS,
  pageWithoutQuery,
} from './chat-session.ts';
import type { PrivacySignals } from './cookie-rules.ts';

const declarations = widgetCookieDeclarations();
const DAY = 86_400;
const CHAT_ID = 'chat_abcdefghijklmnop';

const welcome = (over: Partial<Extract<ServerToVisitor, { type: 'welcome' }>> = {}): ServerToVisitor => ({
  type: 'welcome',
  chatId: CHAT_ID,
  agentsOnline: true,
  preChatForm: false,
  conversation: null,
  messages: [],
  ...over,
});

function setup(
  options: { jar?: Record<string, string>; signals?: PrivacySignals } & Partial<ChatSessionOptions> = {},
) {
  const { jar, ...overrides } = options;
  const doc = fakeCookieDocument(jar);
  const sockets: FakeSocket[] = [];
  const frames: ServerToVisitor[] = [];
  const states: ConnectionState[] = [];
  let keys = 0;
  const session = new ChatSession({
    origin: 'https://chat.example',
    account: 'pk_live_123',
    cookies: createBrowserCookies(declarations, doc, () => Date.UTC(2026, 10, 29)),
    declarations,
    signals: options.signals ?? { gpc: false, dnt: false },
    page: 'https://shop.example/products/tea',
    locale: 'de-DE',
    onFrame: (frame) => frames.push(frame),
    onState: (state) => states.push(state),
    connect: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 1,
    newKey: () => `key-${String(++keys).padStart(4, '0')}`,
    ...overrides,
  });
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket yet');
    return socket;
  };
  /** Opens the chat and completes the handshake on a fresh socket. */
  const connect = (frame: ServerToVisitor = welcome()) => {
    session.start();
    last().open();
    last().receive(frame);
    return last();
  };
  return { doc, sockets, frames, states, session, last, connect };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ChatSession: connecting', () => {
  it('CK-7: nothing connects and no cookie is written before the visitor opens the chat', () => {
    const { doc, sockets, session } = setup();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toEqual([]);
    expect(doc.writes).toEqual([]);
    expect(session.state).toBe('idle');
  });

  it('connects to the visitor socket and says hello first: page without query, locale, persistent', () => {
    const { last, session } = setup();
    session.start();
    expect(last().url).toBe('wss://chat.example/ws/visitor?account=pk_live_123');
    last().open();
    expect(last().sent).toEqual([
      {
        type: 'hello',
        persistent: true,
        privacySignal: false,
        page: 'https://shop.example/products/tea',
        locale: 'de-DE',
      },
    ]);
  });

  it('CK-7: opening the socket writes no cookie; only the welcome does', () => {
    const { doc, last, session } = setup();
    session.start();
    last().open();
    expect(doc.writes).toEqual([]);
    last().receive(welcome());
    expect(doc.writes).toEqual([
      `parley_chat_id=${CHAT_ID}; Max-Age=${30 * DAY}; Path=/; Secure; SameSite=Lax`,
    ]);
  });

  it('CK-3: a returning visitor says hello with the chat id from the cookie', () => {
    const { last, session } = setup({ jar: { parley_chat_id: CHAT_ID } });
    session.start();
    last().open();
    expect(last().sentOf('hello')[0]).toMatchObject({ chatId: CHAT_ID, persistent: true });
  });

  it('ignores a chat-id cookie that is not a chat id', () => {
    const { last, session } = setup({ jar: { parley_chat_id: 'nope' } });
    session.start();
    last().open();
    expect(last().sentOf('hello')[0]).not.toHaveProperty('chatId');
  });

  it.each([
    ['GPC', { gpc: true, dnt: false }],
    ['DNT', { gpc: false, dnt: true }],
  ])('SIG-1: under %s hello says persistent: false and the chat id is a session cookie', (_, signals) => {
    const { doc, last, connect } = setup({ signals, timeZone: 'Europe/Berlin' });
    connect();
    expect(last().sentOf('hello')[0]).toMatchObject({ persistent: false, privacySignal: true });
    expect(last().sentOf('hello')[0]).not.toHaveProperty('timeZone');
    expect(doc.writes).toEqual([`parley_chat_id=${CHAT_ID}; Path=/; Secure; SameSite=Lax`]);
  });

  it('SIG-1: without a signal, hello says so and gives the time zone, for what the website shows agents', () => {
    const { last, connect } = setup({ timeZone: 'Europe/Berlin' });
    connect();
    expect(last().sentOf('hello')[0]).toMatchObject({
      persistent: true,
      privacySignal: false,
      timeZone: 'Europe/Berlin',
    });
  });

  it('does not write a chat id the server sent malformed', () => {
    const { doc, connect } = setup();
    connect(welcome({ chatId: 'a b;c' }));
    expect(doc.writes).toEqual([]);
  });

  it('keeps chatting when the browser refuses cookies (CK-5)', () => {
    const { frames, connect } = setup({
      cookies: createBrowserCookies(declarations, {
        get cookie() {
          return '';
        },
        set cookie(_line: string) {
          throw new Error('SecurityError');
        },
      }),
    });
    connect();
    expect(frames.map((frame) => frame.type)).toEqual(['welcome']);
  });

  it('reports its state and hands every server frame on, ignoring what is not JSON', () => {
    const { frames, states, last, connect } = setup();
    connect();
    last().receive('not json');
    last().receive('{"no":"type"}');
    last().receive({ type: 'presence', agentsOnline: false });
    expect(states).toEqual(['connecting', 'ready']);
    expect(frames.map((frame) => frame.type)).toEqual(['welcome', 'presence']);
  });

  it('start() twice opens one socket', () => {
    const { sockets, session } = setup();
    session.start();
    session.start();
    expect(sockets).toHaveLength(1);
  });
});

describe('ChatSession: a single-page app moving on', () => {
  it('CK-7: before the visitor opens the chat, navigate connects nothing; the hello names the new page', () => {
    const { last, sockets, session } = setup();
    session.navigate('https://shop.example/cart');
    expect(sockets).toEqual([]);
    session.start();
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', page: 'https://shop.example/cart' });
  });

  it('once welcomed, sends a page frame for a new page, and nothing for the same page again', () => {
    const { connect, session } = setup();
    const socket = connect();
    session.navigate('https://shop.example/checkout');
    session.navigate('https://shop.example/checkout');
    expect(socket.sent.slice(1)).toEqual([{ type: 'page', page: 'https://shop.example/checkout' }]);
  });

  it('after a drop, the new hello carries the page the visitor moved to', () => {
    const { connect, last, session } = setup();
    connect();
    session.navigate('https://shop.example/help');
    last().drop();
    vi.advanceTimersByTime(10_000);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', page: 'https://shop.example/help' });
  });
});

describe('ChatSession: messages, acks and resends', () => {
  it('holds messages until the welcome, then sends each once', () => {
    const { last, session } = setup();
    session.start();
    session.send('first');
    last().open();
    session.send('second');
    expect(last().sentOf('send')).toEqual([]);
    last().receive(welcome());
    expect(last().sentOf('send')).toEqual([
      { type: 'send', key: 'key-0001', text: 'first' },
      { type: 'send', key: 'key-0002', text: 'second' },
    ]);
  });

  it('after a drop: reconnects, says hello with the chat id and resends only the unacknowledged, once', () => {
    const { sockets, last, session, connect } = setup();
    const first = connect();
    session.send('acknowledged');
    session.send('lost');
    first.receive({ type: 'ack', key: 'key-0001', id: 'm1', at: '2026-11-29T12:00:00Z' });
    first.drop();
    expect(session.state).toBe('reconnecting');

    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
    const second = last();
    second.open();
    expect(second.sent).toEqual([
      {
        type: 'hello',
        chatId: CHAT_ID,
        persistent: true,
        privacySignal: false,
        page: 'https://shop.example/products/tea',
        locale: 'de-DE',
      },
    ]);
    second.receive(welcome());
    expect(second.sentOf('send')).toEqual([{ type: 'send', key: 'key-0002', text: 'lost' }]);
    // Another frame on the same connection does not repeat the resend.
    second.receive({ type: 'presence', agentsOnline: true });
    session.send('new');
    expect(second.sentOf('send').map((frame) => frame.key)).toEqual(['key-0002', 'key-0003']);

    second.receive({ type: 'ack', key: 'key-0002', id: 'm2', at: '2026-11-29T12:00:01Z' });
    second.receive({ type: 'ack', key: 'key-0003', id: 'm3', at: '2026-11-29T12:00:02Z' });
    expect(session.outbox.size).toBe(0);
    second.drop();
    vi.advanceTimersByTime(500);
    last().open();
    last().receive(welcome());
    expect(last().sentOf('send')).toEqual([]);
  });

  it('a message written while the connection is down goes out once the session is welcomed again', () => {
    const { last, session, connect } = setup();
    connect().drop();
    session.send('while away');
    vi.advanceTimersByTime(500);
    last().open();
    expect(last().sentOf('send')).toEqual([]);
    last().receive(welcome());
    expect(last().sentOf('send')).toEqual([{ type: 'send', key: 'key-0001', text: 'while away' }]);
  });

  it('a refused frame leaves the outbox; queueing it again resends it under its original key', () => {
    const { last, session, connect } = setup();
    connect();
    session.send('too fast');
    last().receive({ type: 'error', code: 'rate_limited', message: 'slow down', key: 'key-0001' });
    expect(session.outbox.size).toBe(0);
    session.queue({ type: 'send', key: 'key-0001', text: 'too fast' });
    expect(
      last()
        .sentOf('send')
        .map((frame) => frame.key),
    ).toEqual(['key-0001', 'key-0001']);
  });

  it('sendNow writes only when welcomed', () => {
    const { last, session } = setup();
    session.start();
    last().open();
    expect(session.sendNow({ type: 'typing', typing: true })).toBe(false);
    last().receive(welcome());
    expect(session.sendNow({ type: 'typing', typing: true })).toBe(true);
    expect(last().sentOf('typing')).toEqual([{ type: 'typing', typing: true }]);
  });

  it('reports each message seen once, and one seen while disconnected once connected again', () => {
    const { last, session, connect } = setup();
    session.seen('msg_1');
    connect();
    session.seen('msg_1');
    session.seen('msg_1');
    session.seen('msg_2');
    session.seen('msg_2');
    expect(last().sentOf('seen')).toEqual([
      { type: 'seen', id: 'msg_1' },
      { type: 'seen', id: 'msg_2' },
    ]);
    last().drop();
    session.seen('msg_3');
    vi.advanceTimersByTime(500);
    last().open();
    last().receive(welcome());
    session.seen('msg_3');
    expect(last().sentOf('seen')).toEqual([{ type: 'seen', id: 'msg_3' }]);
  });
});

describe('ChatSession: reconnecting', () => {
  it('backs off 0.5 s, 1 s, 2 s … up to 10 s, and starts again after a welcome', () => {
    const { sockets, last, connect } = setup();
    connect().drop();
    for (const wait of [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]) {
      const before = sockets.length;
      vi.advanceTimersByTime(wait - 1);
      expect(sockets).toHaveLength(before);
      vi.advanceTimersByTime(1);
      expect(sockets).toHaveLength(before + 1);
      last().drop();
    }
    vi.advanceTimersByTime(10_000);
    last().open();
    last().receive(welcome());
    last().drop();
    const before = sockets.length;
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(before + 1);
  });

  it('retryNow skips the rest of the wait, e.g. when the browser is back online', () => {
    const { sockets, session, connect } = setup();
    connect().drop();
    session.retryNow();
    expect(sockets).toHaveLength(2);
    session.retryNow();
    expect(sockets).toHaveLength(2);
  });

  it('a policy close (1008) is final: no reconnect', () => {
    const { sockets, session, connect } = setup();
    connect().drop(1008);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(session.state).toBe('stopped');
  });

  it('SEC-1: a blocked visitor (4010) is not reconnected either: the chat is not available', () => {
    const { sockets, session, connect } = setup();
    connect().drop(4010);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(session.state).toBe('stopped');
  });

  it('pings a quiet line and replaces it when the ping goes unanswered', () => {
    const { sockets, connect } = setup();
    const socket = connect();
    vi.advanceTimersByTime(HEARTBEAT.idleMs);
    expect(socket.sentOf('ping')).toHaveLength(1);
    socket.receive({ type: 'pong' });
    vi.advanceTimersByTime(HEARTBEAT.idleMs);
    expect(socket.sentOf('ping')).toHaveLength(2);
    vi.advanceTimersByTime(HEARTBEAT.answerMs);
    expect(socket.closedWith).toBeDefined();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
  });

  it('gives up on a socket that opens but never says welcome', () => {
    const { sockets, last, session } = setup();
    session.start();
    last().open();
    vi.advanceTimersByTime(HEARTBEAT.welcomeMs);
    expect(sockets[0]?.closedWith).toBeDefined();
    expect(session.state).toBe('reconnecting');
  });
});

describe('ChatSession: turning chat off', () => {
  it('CK-4: sends the exact text in the language shown, waits for the server, then keeps only the opt-out cookie and closes', async () => {
    const { doc, sockets, session, connect } = setup();
    const socket = connect();
    session.send('unsent');
    const text = 'Chat abschalten?\nKein Chat, keine Cookies: …';
    const done = session.optOut(text, 'de');
    expect(socket.sentOf('opt_out')).toEqual([{ type: 'opt_out', text, language: 'de' }]);
    expect(doc.jar.has('parley_opt_out')).toBe(false);
    socket.receive({ type: 'done', what: 'opt_out' });
    await done;
    expect(doc.writes.slice(1)).toEqual([
      `parley_opt_out=1; Max-Age=${365 * DAY}; Path=/; Secure; SameSite=Lax`,
      'parley_chat_id=; Max-Age=0; Path=/; Secure; SameSite=Lax',
    ]);
    expect([...doc.jar.keys()]).toEqual(['parley_opt_out']);
    expect(socket.closedWith).toBe(1000);
    expect(session.state).toBe('stopped');
    expect(session.outbox.size).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('CK-4: goes ahead after a short wait when the server does not confirm', async () => {
    const { doc, connect, session } = setup();
    connect();
    const done = session.optOut('text', 'en');
    await vi.advanceTimersByTimeAsync(OPT_OUT_WAIT_MS);
    await done;
    expect([...doc.jar.keys()]).toEqual(['parley_opt_out']);
  });

  it('CK-4: works without a connection, and under GPC keeps the opt-out for its declared year', async () => {
    const { doc, sockets, session } = setup({
      jar: { parley_chat_id: CHAT_ID },
      signals: { gpc: true, dnt: false },
    });
    await session.optOut('text', 'en');
    expect(sockets).toEqual([]);
    expect(doc.writes).toEqual([
      `parley_opt_out=1; Max-Age=${365 * DAY}; Path=/; Secure; SameSite=Lax`,
      'parley_chat_id=; Max-Age=0; Path=/; Secure; SameSite=Lax',
    ]);
  });
});

describe('ChatSession: resuming', () => {
  const message = (id: string, at: string): ChatMessage => ({
    id,
    conversationId: 'cnv_1',
    author: 'agent',
    text: id,
    at: `2026-11-29T12:00:${at}Z`,
  });
  const conversation = { id: 'cnv_1', status: 'active' as const };

  /** The `after` of the hello on the next connection, after a drop. */
  function afterOnReconnect(ctx: ReturnType<typeof setup>): string | undefined {
    ctx.last().drop();
    vi.advanceTimersByTime(500);
    ctx.last().open();
    return ctx.last().sentOf('hello')[0]?.after;
  }

  it('says hello with the newest message it holds, from the welcome and message frames', () => {
    const ctx = setup();
    const socket = ctx.connect(
      welcome({ conversation, messages: [message('msg_1', '01.000'), message('msg_2', '02.000')] }),
    );
    expect(afterOnReconnect(ctx)).toBe('msg_2');
    ctx.last().receive(welcome({ conversation, messages: [message('msg_3', '03.000')] }));
    ctx.last().receive({ type: 'message', message: message('msg_4', '04.000') });
    expect(afterOnReconnect(ctx)).toBe('msg_4');
    expect(socket.sentOf('hello')[0]).not.toHaveProperty('after');
  });

  it('keeps the newest by time, then id, when an older message arrives late', () => {
    const ctx = setup();
    ctx.connect(welcome({ conversation, messages: [message('msg_b', '05.000')] }));
    // A catch-up brings what the bus lost: older, or of the same millisecond with a smaller id.
    ctx.last().receive({ type: 'message', message: message('msg_z', '04.999') });
    ctx.last().receive({ type: 'message', message: message('msg_a', '05.000') });
    expect(afterOnReconnect(ctx)).toBe('msg_b');
    ctx.last().receive(welcome({ conversation, messages: [message('msg_c', '05.000')] }));
    expect(afterOnReconnect(ctx)).toBe('msg_c');
  });

  it("does not resume from the acknowledgement of the visitor's own message", () => {
    const ctx = setup();
    ctx.connect(welcome({ conversation, messages: [message('msg_1', '01.000')] }));
    ctx.session.send('mine');
    ctx.last().receive({ type: 'ack', key: 'key-0001', id: 'msg_mine', at: '2026-11-29T12:00:09.000Z' });
    expect(afterOnReconnect(ctx)).toBe('msg_1');
  });

  it('says no `after` while it holds no message', () => {
    const ctx = setup();
    ctx.connect();
    expect(afterOnReconnect(ctx)).toBeUndefined();
    expect(ctx.last().sentOf('hello')[0]).not.toHaveProperty('after');
  });
});

describe('pageWithoutQuery', () => {
  it.each([
    ['https://shop.example/a/b?email=x@y.example#top', 'https://shop.example/a/b'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
    ['not a url', ''],
  ])('%s → %s', (href, page) => {
    expect(pageWithoutQuery(href)).toBe(page);
  });
});
