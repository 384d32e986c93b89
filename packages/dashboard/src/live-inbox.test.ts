import type { ServerToAgent } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveInbox } from './live-inbox.ts';
import { FakeSocket } from './testing/fake-socket.ts';

const conversation = {
  id: 'c1',
  status: 'active' as const,
  visitor: { name: 'Jo' },
  startedAt: '2025-03-04T09:00:00Z',
};
const snapshot: ServerToAgent = {
  type: 'snapshot',
  agent: { id: 'a1', name: 'Ana', online: true },
  conversations: [conversation],
  agentsOnline: 1,
};

function setup(me: ConstructorParameters<typeof LiveInbox>[0]['me'] = { name: 'Ana' }) {
  const sockets: FakeSocket[] = [];
  const live = new LiveInbox({
    url: 'ws://test/ws/agent',
    me,
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
  });
  live.start();
  const connect = () => {
    const socket = sockets[sockets.length - 1]!;
    socket.open();
    socket.receive(snapshot);
    return socket;
  };
  const reconnect = (previous: FakeSocket) => {
    previous.drop();
    vi.advanceTimersByTime(30_000);
    return connect();
  };
  return { live, sockets, connect, reconnect };
}

const sends = (socket: FakeSocket) => socket.sent.filter((frame) => frame.type === 'send');

describe('LiveInbox', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a reply after the snapshot and turns its ack into a delivered message', () => {
    const { live, connect } = setup();
    live.focus('c1');
    live.send('c1', 'Hello before the connection');
    const socket = connect();
    expect(socket.sent.map((frame) => frame.type)).toEqual(['open', 'send']);
    const sent = sends(socket)[0]!;
    socket.receive({ type: 'history', conversationId: 'c1', messages: [] });
    socket.receive({
      type: 'ack',
      key: sent.type === 'send' ? sent.key : '',
      id: 'm9',
      at: '2025-03-04T09:05:00Z',
    });
    expect(live.state.outbox).toEqual([]);
    expect(live.state.inbox.messages.get('c1')).toEqual([
      {
        id: 'm9',
        conversationId: 'c1',
        author: 'agent',
        authorName: 'Ana',
        text: 'Hello before the connection',
        at: '2025-03-04T09:05:00Z',
      },
    ]);
  });

  it('sends a note and a transfer only while connected, and shows the note the server sends back', () => {
    const { live, connect } = setup();
    expect(live.note('c1', 'Not yet connected')).toBe(false);
    live.focus('c1');
    const socket = connect();
    socket.receive({ type: 'history', conversationId: 'c1', messages: [], notes: [] });
    expect(live.note('c1', 'Wants a refund')).toBe(true);
    expect(live.transfer('c1', { departmentId: 'dep_sales' }, 'Over to you')).toBe(true);
    expect(live.transfer('c1', { agentId: 'agt_b' })).toBe(true);
    const frames = socket.sent.filter((frame) => frame.type === 'note' || frame.type === 'transfer');
    expect(frames).toEqual([
      { type: 'note', key: expect.any(String), conversationId: 'c1', text: 'Wants a refund' },
      { type: 'transfer', conversationId: 'c1', to: { departmentId: 'dep_sales' }, note: 'Over to you' },
      { type: 'transfer', conversationId: 'c1', to: { agentId: 'agt_b' } },
    ]);
    // Notes are never part of the outbox's replies.
    expect(live.state.outbox).toEqual([]);
    const note = {
      id: 'n1',
      conversationId: 'c1',
      authorName: 'Ana',
      text: 'Wants a refund',
      at: '2025-03-04T09:06:00Z',
    };
    socket.receive({ type: 'note', note });
    expect(live.state.inbox.notes.get('c1')).toEqual([note]);
    expect(live.state.inbox.messages.get('c1')).toEqual([]);
  });

  it('resends an unacknowledged reply once after a reconnect, with the same key, and re-opens the conversation', () => {
    const { live, connect, reconnect } = setup();
    const first = connect();
    live.focus('c1');
    live.send('c1', 'Are you there?');
    const key = (sends(first)[0] as { key: string }).key;
    const second = reconnect(first);
    expect(second.sent.map((frame) => frame.type)).toEqual(['open', 'send']);
    expect((sends(second)[0] as { key: string }).key).toBe(key);
    const third = reconnect(second);
    expect(sends(third)).toEqual([]);
    expect(live.state.outbox[0]).toMatchObject({ key, status: 'failed' });
    live.retry(key);
    expect((sends(third)[0] as { key: string }).key).toBe(key);
  });

  it('ignores the second ack when both the first send and the resend are acknowledged', () => {
    const { live, connect, reconnect } = setup();
    const first = connect();
    live.focus('c1');
    first.receive({ type: 'history', conversationId: 'c1', messages: [] });
    live.send('c1', 'Once');
    const second = reconnect(first);
    const key = (sends(second)[0] as { key: string }).key;
    second.receive({ type: 'history', conversationId: 'c1', messages: [] });
    second.receive({ type: 'ack', key, id: 'm1', at: '2025-03-04T09:05:00Z' });
    second.receive({ type: 'ack', key, id: 'm1', at: '2025-03-04T09:05:00Z' });
    second.receive({
      type: 'message',
      message: {
        id: 'm1',
        conversationId: 'c1',
        author: 'agent',
        authorName: 'Ana',
        text: 'Once',
        at: '2025-03-04T09:05:00Z',
      },
    });
    expect(live.state.inbox.messages.get('c1')?.map((message) => message.id)).toEqual(['m1']);
  });

  it('marks a reply the server refused as failed, with its message', () => {
    const { live, connect } = setup();
    const socket = connect();
    live.send('c1', 'Too late');
    const key = (sends(socket)[0] as { key: string }).key;
    socket.receive({
      type: 'error',
      code: 'conversation_closed',
      message: 'This conversation is closed.',
      key,
    });
    expect(live.state.outbox[0]).toMatchObject({ status: 'failed', error: 'This conversation is closed.' });
    socket.receive({ type: 'error', code: 'rate_limited', message: 'Slow down.' });
    expect(live.state.notice?.message).toBe('Slow down.');
  });

  it('tells the server each visitor message seen once per conversation, and one not sent when connected again', () => {
    const { live, connect, reconnect } = setup();
    live.seen('c1', 'm1');
    const first = connect();
    live.seen('c1', 'm1');
    live.seen('c1', 'm1');
    live.seen('c2', 'm1');
    live.seen('c1', 'm2');
    const seen = (socket: FakeSocket) => socket.sent.filter((frame) => frame.type === 'seen');
    expect(seen(first)).toEqual([
      { type: 'seen', conversationId: 'c1', id: 'm1' },
      { type: 'seen', conversationId: 'c2', id: 'm1' },
      { type: 'seen', conversationId: 'c1', id: 'm2' },
    ]);
    const second = reconnect(first);
    live.seen('c1', 'm2');
    expect(seen(second)).toEqual([]);
  });

  it('shows what the visitor has seen, from a seen frame or a summary', () => {
    const { live, connect } = setup();
    const socket = connect();
    const seenByVisitor = () => live.state.inbox.conversations.get('c1')?.summary.seenByVisitor;
    socket.receive({
      type: 'seen',
      conversationId: 'c1',
      by: 'visitor',
      id: 'm3',
      at: '2025-03-04T09:06:00Z',
    });
    expect(seenByVisitor()).toEqual({ id: 'm3', at: '2025-03-04T09:06:00Z' });
    socket.receive({
      type: 'conversation',
      conversation: { ...conversation, seenByVisitor: { id: 'm4', at: '2025-03-04T09:07:00Z' } },
    });
    expect(seenByVisitor()).toEqual({ id: 'm4', at: '2025-03-04T09:07:00Z' });
  });

  it('reports the connection state and takes availability from the snapshot', () => {
    const { live, connect } = setup();
    expect(live.state.connection.kind).toBe('connecting');
    const socket = connect();
    expect(live.state).toMatchObject({ ready: true, online: true, connection: { kind: 'connected' } });
    expect(live.setOnline(false)).toBe(true);
    expect(socket.sent.at(-1)).toEqual({ type: 'status', online: false });
    socket.drop();
    expect(live.state).toMatchObject({ ready: false, connection: { kind: 'waiting' } });
    expect(live.setOnline(true)).toBe(false);
  });

  it('pings, and reconnects when no answer comes', () => {
    const { sockets, connect } = setup();
    const socket = connect();
    vi.advanceTimersByTime(25_000);
    expect(socket.sent.at(-1)).toEqual({ type: 'ping' });
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(30_000);
    expect(sockets.length).toBe(2);
  });

  it('SEC-1: a plain agent’s inbox drops a waiting chat once another agent takes it, and keeps one they take', () => {
    const { live, connect } = setup({ name: 'Ana', id: 'a1', role: 'agent' });
    const socket = connect();
    const waiting = (id: string) => ({ ...conversation, id, status: 'waiting' as const });
    socket.receive({ type: 'conversation', conversation: waiting('w1') });
    socket.receive({ type: 'conversation', conversation: waiting('w2') });
    socket.receive({
      type: 'conversation',
      conversation: { ...waiting('w1'), status: 'active', agentId: 'a2', agentName: 'Bo' },
    });
    socket.receive({
      type: 'conversation',
      conversation: { ...waiting('w2'), status: 'active', agentId: 'a1', agentName: 'Ana' },
    });
    expect(live.state.inbox.conversations.has('w1')).toBe(false);
    expect(live.state.inbox.conversations.get('w2')?.summary.status).toBe('active');
  });

  it('an owner or admin keeps the chats other agents take', () => {
    const { live, connect } = setup({ name: 'Ana', id: 'a1', role: 'admin' });
    const socket = connect();
    socket.receive({
      type: 'conversation',
      conversation: { ...conversation, id: 'w1', status: 'active', agentId: 'a2', agentName: 'Bo' },
    });
    expect(live.state.inbox.conversations.has('w1')).toBe(true);
  });

  describe('resuming', () => {
    const message = (id: string, minute: number) => ({
      id,
      conversationId: 'c1',
      author: 'visitor' as const,
      text: id,
      at: `2025-03-04T09:${String(minute).padStart(2, '0')}:00.000Z`,
    });

    function resumable() {
      const urls: string[] = [];
      const sockets: FakeSocket[] = [];
      const live = new LiveInbox({
        url: 'ws://test/ws/agent',
        me: { name: 'Ana' },
        createSocket: (url) => {
          urls.push(url);
          const socket = new FakeSocket();
          sockets.push(socket);
          return socket;
        },
      });
      live.start();
      const reconnect = (frame: ServerToAgent = snapshot) => {
        sockets.at(-1)!.drop();
        vi.advanceTimersByTime(30_000);
        const socket = sockets.at(-1)!;
        socket.open();
        socket.receive(frame);
        return socket;
      };
      return { live, urls, sockets, reconnect };
    }

    it("asks on every reconnect for what came after the newest message of the stream it holds, not its own replies'", () => {
      const { live, urls, sockets, reconnect } = resumable();
      sockets[0]!.open();
      sockets[0]!.receive({
        ...snapshot,
        conversations: [{ ...conversation, lastMessage: message('m2', 2) }],
      } as ServerToAgent);
      sockets[0]!.receive({ type: 'message', message: message('m5', 5) });
      // A catch-up's older message does not move it back.
      sockets[0]!.receive({ type: 'message', message: message('m4', 4) });
      live.send('c1', 'Mine');
      const key = (sends(sockets[0]!)[0] as { key: string }).key;
      sockets[0]!.receive({ type: 'ack', key, id: 'm9', at: '2025-03-04T09:09:00.000Z' });
      reconnect();
      expect(urls).toEqual(['ws://test/ws/agent', 'ws://test/ws/agent?after=m5']);
      const next = reconnect({ ...snapshot, resume: 'complete' } as ServerToAgent);
      next.receive({ type: 'message', message: message('m6', 6) });
      reconnect();
      expect(urls.at(-1)).toBe('ws://test/ws/agent?after=m6');
    });

    it('asks again for the open history only when the snapshot says to reload, or it holds none', () => {
      const { live, sockets, reconnect } = resumable();
      sockets[0]!.open();
      sockets[0]!.receive({ type: 'message', message: message('m1', 1) });
      sockets[0]!.receive(snapshot);
      live.focus('c1');
      sockets[0]!.receive({ type: 'history', conversationId: 'c1', messages: [message('m1', 1)] });
      const opens = (socket: FakeSocket) => socket.sent.filter((frame) => frame.type === 'open');
      expect(opens(reconnect({ ...snapshot, resume: 'complete' } as ServerToAgent))).toEqual([]);
      const reloaded = reconnect({ ...snapshot, resume: 'reload' } as ServerToAgent);
      expect(opens(reloaded)).toEqual([{ type: 'open', conversationId: 'c1' }]);
      // A catch-up on the same connection that says reload asks again too.
      reloaded.receive({ ...snapshot, resume: 'reload' } as ServerToAgent);
      expect(opens(reloaded)).toHaveLength(2);
      expect(live.state.inbox.messages.has('c1')).toBe(true);
    });
  });
});
