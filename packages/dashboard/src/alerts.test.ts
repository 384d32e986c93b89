import type { ChatMessage, ConversationSummary, ServerToAgent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { type Alert, AlertRules, attentionCount, LONG_WAIT_MS } from './alerts.ts';
import { emptyInbox, type InboxAction, type InboxState, reduceInbox } from './conversation-list.ts';

const START = Date.UTC(2025, 2, 4, 9, 0);
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();

function message(
  id: string,
  conversationId: string,
  seconds: number,
  author: ChatMessage['author'],
): ChatMessage {
  return { id, conversationId, author, text: `text ${id}`, at: at(seconds) };
}

function conversation(
  id: string,
  status: ConversationSummary['status'],
  extra: Partial<ConversationSummary> = {},
): ConversationSummary {
  return { id, status, visitor: { name: `Visitor ${id}` }, startedAt: at(0), ...extra };
}

function snapshot(...conversations: ConversationSummary[]): ServerToAgent {
  return { type: 'snapshot', agent: { id: 'me', name: 'Ana', online: true }, conversations, agentsOnline: 1 };
}

const run = (state: InboxState, ...actions: InboxAction[]): InboxState => actions.reduce(reduceInbox, state);
const kinds = (alerts: Alert[]) => alerts.map((alert) => `${alert.kind}:${alert.conversation.id}`);

const mine = conversation('mine', 'active', { agentId: 'me' });
const theirs = conversation('theirs', 'active', { agentId: 'other' });
const loaded = run(emptyInbox, snapshot(mine, theirs));
const visible = { hidden: false };
const hidden = { hidden: true };

describe('AlertRules.changed', () => {
  const rules = () => new AlertRules({ me: 'me' });

  it('alerts once when a chat starts waiting, not while it keeps waiting', () => {
    const waiting = run(loaded, { type: 'conversation', conversation: conversation('new', 'waiting') });
    expect(kinds(rules().changed(loaded, waiting, visible))).toEqual(['new-chat:new']);
    const again = run(waiting, {
      type: 'message',
      message: message('m1', 'new', 5, 'visitor'),
    });
    expect(rules().changed(waiting, again, visible)).toEqual([]);
  });

  it('alerts for a chat put back in the queue', () => {
    const queued = run(loaded, { type: 'conversation', conversation: { ...theirs, status: 'waiting' } });
    expect(kinds(rules().changed(loaded, queued, visible))).toEqual(['new-chat:theirs']);
  });

  it.each([
    ['another chat is open', 'theirs', visible, ['message:mine']],
    ['no chat is open', null, visible, ['message:mine']],
    ['the chat is open but the tab is hidden', 'mine', hidden, ['message:mine']],
    ['the chat is open and seen', 'mine', visible, []],
  ] as const)('a visitor message in my chat when %s', (_, openId, attention, expected) => {
    const before = run(loaded, { type: 'focus', conversationId: openId });
    const after = run(before, { type: 'message', message: message('m1', 'mine', 5, 'visitor') });
    expect(kinds(rules().changed(before, after, attention))).toEqual(expected);
  });

  it("no alert for another agent's chat, nor for an agent's own words", () => {
    const theirMessage = run(loaded, { type: 'message', message: message('m1', 'theirs', 5, 'visitor') });
    expect(rules().changed(loaded, theirMessage, hidden)).toEqual([]);
    const ownReply = run(loaded, { type: 'message', message: message('m2', 'mine', 5, 'agent') });
    expect(rules().changed(loaded, ownReply, hidden)).toEqual([]);
  });

  it('no alert when nothing new arrived (a rating, a typing change)', () => {
    const withMessage = run(loaded, { type: 'message', message: message('m1', 'mine', 5, 'visitor') });
    const typing = run(withMessage, { type: 'typing', conversationId: 'mine', typing: true });
    expect(rules().changed(withMessage, typing, hidden)).toEqual([]);
  });

  it('without a known agent id, only waiting chats alert', () => {
    const after = run(loaded, { type: 'message', message: message('m1', 'mine', 5, 'visitor') });
    expect(new AlertRules({ me: undefined }).changed(loaded, after, hidden)).toEqual([]);
  });
});

describe('AlertRules.overdue', () => {
  const waiting = run(emptyInbox, snapshot(conversation('w', 'waiting'), mine));

  it('reminds of a chat waiting past the limit once', () => {
    const rules = new AlertRules({ me: 'me' });
    expect(rules.overdue(waiting, START + LONG_WAIT_MS - 1)).toEqual([]);
    expect(kinds(rules.overdue(waiting, START + LONG_WAIT_MS))).toEqual(['long-wait:w']);
    expect(rules.overdue(waiting, START + 2 * LONG_WAIT_MS)).toEqual([]);
  });

  it('honours a chosen limit', () => {
    const rules = new AlertRules({ me: 'me', longWaitMs: 30_000 });
    expect(kinds(rules.overdue(waiting, START + 30_000))).toEqual(['long-wait:w']);
  });

  it('reminds again of a chat that was taken and put back', () => {
    const rules = new AlertRules({ me: 'me' });
    rules.overdue(waiting, START + LONG_WAIT_MS);
    const taken = run(waiting, { type: 'conversation', conversation: conversation('w', 'active') });
    expect(rules.overdue(taken, START + LONG_WAIT_MS + 1)).toEqual([]);
    const back = run(taken, { type: 'conversation', conversation: conversation('w', 'waiting') });
    expect(kinds(rules.overdue(back, START + LONG_WAIT_MS + 2))).toEqual(['long-wait:w']);
  });
});

describe('attentionCount', () => {
  it('adds waiting chats, unread visitor messages and those missed in the open chat', () => {
    const state = run(
      loaded,
      { type: 'conversation', conversation: conversation('w', 'waiting') },
      { type: 'message', message: message('m0', 'w', 4, 'visitor') },
      { type: 'message', message: message('m1', 'mine', 5, 'visitor') },
      { type: 'message', message: message('m2', 'mine', 6, 'visitor') },
    );
    // The waiting chat counts once, not once more for its unread message.
    expect(attentionCount(state)).toBe(3);
    expect(attentionCount(state, 2)).toBe(5);
    expect(attentionCount(run(state, { type: 'focus', conversationId: 'mine' }))).toBe(1);
    expect(attentionCount(emptyInbox)).toBe(0);
  });
});
