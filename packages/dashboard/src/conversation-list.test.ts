import type { ChatMessage, ConversationSummary, InternalNote, ServerToAgent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  arrivals,
  emptyInbox,
  groupConversations,
  type InboxAction,
  type InboxState,
  reduceInbox,
  waitingCount,
} from './conversation-list.ts';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 4, 9, minute)).toISOString();

function message(
  id: string,
  conversationId: string,
  minute: number,
  author: ChatMessage['author'] = 'visitor',
): ChatMessage {
  return { id, conversationId, author, text: `text ${id}`, at: at(minute) };
}

function conversation(
  id: string,
  status: ConversationSummary['status'],
  startedMinute: number,
  last?: ChatMessage,
): ConversationSummary {
  return {
    id,
    status,
    visitor: { name: `Visitor ${id}` },
    startedAt: at(startedMinute),
    ...(last ? { lastMessage: last } : {}),
  };
}

function snapshot(...conversations: ConversationSummary[]): ServerToAgent {
  return { type: 'snapshot', agent: { id: 'a1', name: 'Ana', online: true }, conversations, agentsOnline: 1 };
}

const run = (...actions: InboxAction[]): InboxState => actions.reduce(reduceInbox, emptyInbox);
const ids = (state: InboxState) => {
  const groups = groupConversations(state);
  return {
    waiting: groups.waiting.map((entry) => entry.summary.id),
    active: groups.active.map((entry) => entry.summary.id),
  };
};

describe('reduceInbox: grouping and order', () => {
  it('groups a snapshot into Waiting and Active, newest activity first, closed left out', () => {
    const state = run(
      snapshot(
        conversation('w-old', 'waiting', 1),
        conversation('w-new', 'waiting', 5),
        conversation('a-quiet', 'active', 0, message('m1', 'a-quiet', 2)),
        conversation('a-busy', 'active', 0, message('m2', 'a-busy', 8)),
        conversation('c', 'closed', 9),
      ),
    );
    expect(ids(state)).toEqual({ waiting: ['w-new', 'w-old'], active: ['a-busy', 'a-quiet'] });
    expect(waitingCount(state)).toBe(2);
  });

  it('moves a conversation to the top when a message arrives', () => {
    const state = run(
      snapshot(
        conversation('a', 'active', 1, message('m1', 'a', 1)),
        conversation('b', 'active', 2, message('m2', 'b', 2)),
      ),
      { type: 'message', message: message('m3', 'a', 3) },
    );
    expect(ids(state).active).toEqual(['a', 'b']);
    expect(state.conversations.get('a')?.summary.lastMessage?.id).toBe('m3');
  });

  it('moves a conversation from Waiting to Active on a conversation frame, and drops it when closed', () => {
    const started = run(snapshot(conversation('x', 'waiting', 1)));
    const taken = reduceInbox(started, {
      type: 'conversation',
      conversation: { ...conversation('x', 'active', 1), agentName: 'Ana' },
    });
    expect(ids(taken)).toEqual({ waiting: [], active: ['x'] });
    const closed = reduceInbox(taken, { type: 'conversation', conversation: conversation('x', 'closed', 1) });
    expect(closed.conversations.has('x')).toBe(false);
  });

  it('remembers who closed an open conversation when a later frame (a rating) does not say', () => {
    const open = run(snapshot(conversation('x', 'active', 1)), { type: 'focus', conversationId: 'x' });
    const closedBy = { by: 'visitor' } as const;
    const closed = reduceInbox(open, {
      type: 'conversation',
      conversation: { ...conversation('x', 'closed', 1), closedBy },
    });
    const rated = reduceInbox(closed, {
      type: 'conversation',
      conversation: { ...conversation('x', 'closed', 1), rating: 5 },
    });
    expect(rated.conversations.get('x')?.summary).toMatchObject({ rating: 5, closedBy });
  });

  it('keeps a conversation’s tags when a frame without them (a new message) arrives, and takes new ones', () => {
    const tagged = run(snapshot({ ...conversation('x', 'active', 1), tags: ['Billing'] }));
    const messaged = reduceInbox(tagged, {
      type: 'conversation',
      conversation: conversation('x', 'active', 1, message('m1', 'x', 2)),
    });
    expect(messaged.conversations.get('x')?.summary.tags).toEqual(['Billing']);
    const untagged = reduceInbox(messaged, {
      type: 'conversation',
      conversation: { ...conversation('x', 'active', 1), tags: [] },
    });
    expect(untagged.conversations.get('x')?.summary.tags).toEqual([]);
  });

  it('adds a new conversation from a conversation frame', () => {
    const state = run(snapshot(), { type: 'conversation', conversation: conversation('new', 'waiting', 3) });
    expect(ids(state).waiting).toEqual(['new']);
  });

  it('keeps a closed conversation while it is open, and drops it when the agent leaves it', () => {
    const open = run(snapshot(conversation('x', 'active', 1)), { type: 'focus', conversationId: 'x' });
    const closed = reduceInbox(open, { type: 'conversation', conversation: conversation('x', 'closed', 1) });
    expect(closed.conversations.get('x')?.summary.status).toBe('closed');
    expect(ids(closed).active).toEqual([]);
    const left = reduceInbox(closed, { type: 'focus', conversationId: null });
    expect(left.conversations.has('x')).toBe(false);
  });

  it('drops a conversation reported as spam, even the one the agent is looking at', () => {
    const open = run(snapshot(conversation('x', 'active', 1), conversation('y', 'waiting', 2)), {
      type: 'focus',
      conversationId: 'x',
    });
    const reported = { ...conversation('x', 'closed', 1), spam: true } as const;
    const state = reduceInbox(open, { type: 'conversation', conversation: reported });
    expect(state.conversations.has('x')).toBe(false);
    expect(ids(state).waiting).toEqual(['y']);
  });

  it('removes an erased conversation and its messages', () => {
    const state = run(
      snapshot(conversation('x', 'active', 1)),
      { type: 'history', conversationId: 'x', messages: [message('m1', 'x', 1)] },
      { type: 'remove', conversationId: 'x' },
    );
    expect(state.conversations.size).toBe(0);
    expect(state.messages.has('x')).toBe(false);
  });
});

describe('reduceInbox: unread counts', () => {
  it('counts visitor messages in conversations that are not open, and clears them on open', () => {
    const state = run(
      snapshot(conversation('a', 'active', 1)),
      { type: 'message', message: message('m1', 'a', 2) },
      { type: 'message', message: message('m2', 'a', 3) },
      { type: 'message', message: message('m3', 'a', 4, 'agent') },
    );
    expect(state.conversations.get('a')?.unread).toBe(2);
    expect(reduceInbox(state, { type: 'focus', conversationId: 'a' }).conversations.get('a')?.unread).toBe(0);
  });

  it('does not count messages in the open conversation', () => {
    const state = run(
      snapshot(conversation('a', 'active', 1)),
      { type: 'focus', conversationId: 'a' },
      {
        type: 'message',
        message: message('m1', 'a', 2),
      },
    );
    expect(state.conversations.get('a')?.unread).toBe(0);
  });

  it('counts a message once when both a message frame and a conversation frame carry it', () => {
    const m = message('m1', 'a', 2);
    const state = run(
      snapshot(conversation('a', 'active', 1)),
      { type: 'message', message: m },
      { type: 'conversation', conversation: conversation('a', 'active', 1, m) },
      { type: 'message', message: m },
    );
    expect(state.conversations.get('a')?.unread).toBe(1);
  });

  it('counts a message first seen in a conversation frame', () => {
    const state = run(snapshot(conversation('a', 'active', 1)), {
      type: 'conversation',
      conversation: conversation('a', 'active', 1, message('m1', 'a', 2)),
    });
    expect(state.conversations.get('a')?.unread).toBe(1);
  });

  it('counts nothing as unread on the first snapshot', () => {
    const state = run(snapshot(conversation('a', 'waiting', 1, message('m1', 'a', 2))));
    expect(state.conversations.get('a')?.unread).toBe(0);
  });

  it('keeps unread counts across a reconnect snapshot and counts what arrived while disconnected', () => {
    const before = run(snapshot(conversation('a', 'active', 1)), {
      type: 'message',
      message: message('m1', 'a', 2),
    });
    const after = reduceInbox(before, snapshot(conversation('a', 'active', 1, message('m2', 'a', 5))));
    expect(after.conversations.get('a')?.unread).toBe(2);
    const same = reduceInbox(after, snapshot(conversation('a', 'active', 1, message('m2', 'a', 5))));
    expect(same.conversations.get('a')?.unread).toBe(2);
  });
});

describe('reduceInbox: messages and typing', () => {
  it('appends messages to a loaded history without duplicates, in time order', () => {
    const state = run(
      snapshot(conversation('a', 'active', 1)),
      { type: 'focus', conversationId: 'a' },
      { type: 'history', conversationId: 'a', messages: [message('m2', 'a', 3), message('m1', 'a', 2)] },
      { type: 'message', message: message('m3', 'a', 4) },
      { type: 'message', message: message('m3', 'a', 4) },
      { type: 'delivered', message: message('m4', 'a', 5, 'agent') },
      { type: 'message', message: message('m4', 'a', 5, 'agent') },
    );
    expect(state.messages.get('a')?.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('keeps internal notes apart from the messages, in time order, once the history is held', () => {
    const note = (id: string, minute: number): InternalNote => ({
      id,
      conversationId: 'a',
      authorName: 'Ana',
      text: `note ${id}`,
      at: at(minute),
    });
    const before = run(snapshot(conversation('a', 'active', 1)), { type: 'note', note: note('n0', 2) });
    expect(before.notes.has('a')).toBe(false);
    const state = run(
      snapshot(conversation('a', 'active', 1)),
      { type: 'focus', conversationId: 'a' },
      { type: 'history', conversationId: 'a', messages: [message('m1', 'a', 2)], notes: [note('n2', 4)] },
      { type: 'note', note: note('n1', 3) },
      { type: 'note', note: note('n1', 3) },
    );
    expect(state.notes.get('a')?.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(state.messages.get('a')?.map((m) => m.id)).toEqual(['m1']);
    expect(reduceInbox(state, { type: 'remove', conversationId: 'a' }).notes.has('a')).toBe(false);
  });

  it('does not invent a history for a conversation that was never opened', () => {
    const state = run(snapshot(conversation('a', 'active', 1)), {
      type: 'message',
      message: message('m1', 'a', 2),
    });
    expect(state.messages.has('a')).toBe(false);
  });

  it('shows the visitor typing until they stop, send, or the indicator expires', () => {
    const typing = run(snapshot(conversation('a', 'active', 1)), {
      type: 'typing',
      conversationId: 'a',
      typing: true,
    });
    expect(typing.conversations.get('a')?.visitorTyping).toBe(true);
    expect(
      reduceInbox(typing, { type: 'typing', conversationId: 'a', typing: false }).conversations.get('a')
        ?.visitorTyping,
    ).toBe(false);
    expect(
      reduceInbox(typing, { type: 'message', message: message('m1', 'a', 2) }).conversations.get('a')
        ?.visitorTyping,
    ).toBe(false);
    expect(
      reduceInbox(typing, { type: 'typing-expired', conversationId: 'a' }).conversations.get('a')
        ?.visitorTyping,
    ).toBe(false);
  });

  it('returns the same state for frames that change nothing', () => {
    const state = run(snapshot(conversation('a', 'active', 1)));
    expect(reduceInbox(state, { type: 'pong' })).toBe(state);
    expect(reduceInbox(state, { type: 'typing', conversationId: 'a', typing: false })).toBe(state);
    expect(reduceInbox(state, { type: 'typing', conversationId: 'unknown', typing: true })).toBe(state);
  });
});

describe('arrivals', () => {
  it('reports newly waiting conversations and new visitor messages in the open conversation', () => {
    const before = run(
      snapshot(conversation('a', 'active', 1)),
      { type: 'focus', conversationId: 'a' },
      { type: 'history', conversationId: 'a', messages: [message('m1', 'a', 1)] },
    );
    const after = [
      { type: 'conversation', conversation: conversation('w', 'waiting', 2) },
      { type: 'message', message: message('m2', 'a', 3) },
      { type: 'message', message: message('m3', 'a', 4, 'agent') },
    ].reduce((state, action) => reduceInbox(state, action as InboxAction), before);
    const news = arrivals(before, after);
    expect(news.waiting.map((entry) => entry.summary.id)).toEqual(['w']);
    expect(news.messages.map((m) => m.id)).toEqual(['m2']);
  });

  it('does not announce a history arriving on open', () => {
    const before = run(snapshot(conversation('a', 'active', 1)), { type: 'focus', conversationId: 'a' });
    const after = reduceInbox(before, {
      type: 'history',
      conversationId: 'a',
      messages: [message('m1', 'a', 1)],
    });
    expect(arrivals(before, after).messages).toEqual([]);
  });
});

describe('reduceInbox: merging what a reconnect or catch-up brings', () => {
  const history = (conversationId: string, ...messages: ChatMessage[]): InboxAction => ({
    type: 'history',
    conversationId,
    messages,
  });
  const listed = (state: InboxState, conversationId: string) =>
    state.messages.get(conversationId)?.map((m) => m.id);

  it('shows a message once however often it comes, in order by time, then id', () => {
    const state = run(
      snapshot(conversation('c1', 'active', 0, message('m3', 'c1', 3))),
      history('c1', message('m1', 'c1', 1), message('m3', 'c1', 3)),
      // Missed while away: one older than the newest shown, and two of the same minute as it.
      { type: 'message', message: message('m2', 'c1', 2) },
      { type: 'message', message: message('m3b', 'c1', 3) },
      { type: 'message', message: message('m3a', 'c1', 3) },
      { type: 'message', message: message('m2', 'c1', 2) },
      { type: 'delivered', message: message('m3', 'c1', 3, 'agent') },
    );
    expect(listed(state, 'c1')).toEqual(['m1', 'm2', 'm3', 'm3a', 'm3b']);
  });

  it('orders a history by time, then id', () => {
    const state = run(
      snapshot(conversation('c1', 'active', 0)),
      history('c1', message('m-b', 'c1', 1), message('m-c', 'c1', 0), message('m-a', 'c1', 1)),
    );
    expect(listed(state, 'c1')).toEqual(['m-c', 'm-a', 'm-b']);
  });

  it('keeps the histories it holds when the missed messages follow, and drops all but the open one on reload', () => {
    const held = run(
      snapshot(conversation('c1', 'active', 0), conversation('c2', 'active', 0)),
      history('c1', message('m1', 'c1', 1)),
      history('c2', message('m2', 'c2', 1)),
      { type: 'focus', conversationId: 'c1' },
    );
    const resumed = (resume: 'complete' | 'reload') =>
      reduceInbox(held, {
        ...(snapshot(conversation('c1', 'active', 0), conversation('c2', 'active', 0)) as Extract<
          ServerToAgent,
          { type: 'snapshot' }
        >),
        resume,
      });
    expect([...resumed('complete').messages.keys()]).toEqual(['c1', 'c2']);
    expect([...resumed('reload').messages.keys()]).toEqual(['c1']);
  });
});
