import type { ConversationSummary, ServerToAgent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { emptyInbox, type InboxAction, type InboxState, reduceInbox } from './conversation-list.ts';
import { type KeyPress, neighbour, nextWaiting, SHORTCUTS, shortcutFor } from './shortcuts.ts';

const press = (key: string, code: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  isComposing: false,
  ...extra,
});
const alt = (key: string, code: string, extra: Partial<KeyPress> = {}) =>
  press(key, code, { altKey: true, ...extra });

describe('shortcutFor', () => {
  it.each([
    ['Alt+N', alt('n', 'KeyN'), false, 'next-waiting'],
    ['Alt+J', alt('j', 'KeyJ'), false, 'next-conversation'],
    ['Alt+K', alt('k', 'KeyK'), false, 'previous-conversation'],
    ['Alt+W', alt('w', 'KeyW'), false, 'close-conversation'],
    ['Alt+N with Caps Lock', alt('N', 'KeyN'), false, 'next-waiting'],
    ['Alt+N typing, nothing composed', alt('n', 'KeyN'), true, 'next-waiting'],
    ['Option+N on a Mac outside a field', alt('Dead', 'KeyN'), false, 'next-waiting'],
    ['Alt+Z on a German layout (the Y key)', alt('z', 'KeyY'), false, null],
    ['Option+N on a Mac in a field (starts ñ)', alt('Dead', 'KeyN'), true, null],
    ['Option+W on a Mac in a field (types ∑)', alt('∑', 'KeyW'), true, null],
    ['AltGr (Ctrl+Alt) on Windows', alt('n', 'KeyN', { ctrlKey: true }), false, null],
    ['Alt+Shift+N', alt('N', 'KeyN', { shiftKey: true }), false, null],
    ['Cmd+W (the browser closes the tab)', press('w', 'KeyW', { metaKey: true }), false, null],
    ['an unused Alt letter', alt('f', 'KeyF'), false, null],
    ['a plain n', press('n', 'KeyN'), false, null],
    ['? on the page', press('?', 'Slash', { shiftKey: true }), false, 'help'],
    ['? while typing', press('?', 'Slash', { shiftKey: true }), true, null],
    ['Alt+N while an input method composes', alt('n', 'KeyN', { isComposing: true }), true, null],
  ] as const)('%s', (_, key, typing, expected) => {
    expect(shortcutFor(key, typing)).toBe(expected);
  });

  it('lists every action once in the help', () => {
    const actions = SHORTCUTS.map((shortcut) => shortcut.action);
    expect(new Set(actions).size).toBe(actions.length);
  });
});

const at = (minute: number) => new Date(Date.UTC(2025, 2, 4, 9, minute)).toISOString();
const conversation = (
  id: string,
  status: ConversationSummary['status'],
  minute: number,
): ConversationSummary => ({
  id,
  status,
  visitor: {},
  startedAt: at(minute),
});
const snapshot = (...conversations: ConversationSummary[]): ServerToAgent => ({
  type: 'snapshot',
  agent: { id: 'me', name: 'Ana', online: true },
  conversations,
  agentsOnline: 1,
});
const run = (...actions: InboxAction[]): InboxState => actions.reduce(reduceInbox, emptyInbox);

describe('nextWaiting', () => {
  it('is the chat that has waited longest', () => {
    const state = run(
      snapshot(
        conversation('newer', 'waiting', 5),
        conversation('oldest', 'waiting', 1),
        conversation('a', 'active', 0),
      ),
    );
    expect(nextWaiting(state)).toBe('oldest');
  });

  it('is none when nobody waits', () => {
    expect(nextWaiting(run(snapshot(conversation('a', 'active', 0))))).toBeNull();
  });
});

describe('neighbour', () => {
  // The list shows Waiting (w2, w1) then Active (a2, a1), newest first.
  const loaded = run(
    snapshot(
      conversation('w1', 'waiting', 1),
      conversation('w2', 'waiting', 2),
      conversation('a1', 'active', 3),
      conversation('a2', 'active', 4),
    ),
  );
  const opened = (id: string | null) => reduceInbox(loaded, { type: 'focus', conversationId: id });

  it.each([
    [null, 1, 'w2'],
    [null, -1, 'a1'],
    ['w2', 1, 'w1'],
    ['w1', 1, 'a2'],
    ['a1', 1, 'a1'],
    ['w2', -1, 'w2'],
    ['a2', -1, 'w1'],
  ] as const)('from %s by %i is %s', (openId, step, expected) => {
    expect(neighbour(opened(openId), step)).toBe(expected);
  });

  it('is none in an empty inbox', () => {
    expect(neighbour(emptyInbox, 1)).toBeNull();
  });
});
