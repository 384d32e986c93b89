import { groupConversations, type InboxState } from './conversation-list.ts';
import type { MessageKey } from './i18n/i18n.ts';

/**
 * The dashboard's keyboard shortcuts, as pure functions of a key press and the inbox. The keys are Alt with a
 * letter no browser menu or screen reader uses (Firefox opens menus with Alt+F, E, V, S, B, T, H; NVDA and JAWS
 * use Insert or Caps Lock), and `?` for the list of them.
 */

export type ShortcutAction =
  | 'next-waiting'
  | 'next-conversation'
  | 'previous-conversation'
  | 'close-conversation'
  | 'help';

/** What a shortcut needs of a `KeyboardEvent`. */
export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  isComposing: boolean;
}

export interface Shortcut {
  action: ShortcutAction;
  /** The keys as the help lists them. */
  keys: string;
  label: MessageKey;
}

/** The Alt shortcuts by physical key, so they work with any keyboard layout. */
const ALT_KEYS: Readonly<Record<string, ShortcutAction>> = {
  KeyN: 'next-waiting',
  KeyJ: 'next-conversation',
  KeyK: 'previous-conversation',
  KeyW: 'close-conversation',
};

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'next-waiting', keys: 'Alt+N', label: 'shortcuts.nextWaiting' },
  { action: 'next-conversation', keys: 'Alt+J', label: 'shortcuts.nextConversation' },
  { action: 'previous-conversation', keys: 'Alt+K', label: 'shortcuts.previousConversation' },
  { action: 'close-conversation', keys: 'Alt+W', label: 'shortcuts.closeConversation' },
  { action: 'help', keys: '?', label: 'shortcuts.help' },
];

/**
 * The shortcut a key press means, or null. `typing` is true when the focus is in a text field: there `?` is a
 * character, and an Alt letter counts only if it typed nothing else (on a Mac, Option+N starts an "ñ").
 */
export function shortcutFor(press: KeyPress, typing: boolean): ShortcutAction | null {
  if (press.isComposing || press.ctrlKey || press.metaKey) return null;
  if (press.altKey) {
    if (press.shiftKey) return null;
    const action = ALT_KEYS[press.code];
    if (!action) return null;
    const plainLetter = press.key.toLowerCase() === press.code.slice(3).toLowerCase();
    return typing && !plainLetter ? null : action;
  }
  return press.key === '?' && !typing ? 'help' : null;
}

/** The chat that has waited longest, which the next agent should take first. */
export function nextWaiting(state: InboxState): string | null {
  const { waiting } = groupConversations(state);
  return waiting[waiting.length - 1]?.summary.id ?? null;
}

/**
 * The conversation `step` places after (or before, for -1) the open one, in the list's order: Waiting, then
 * Active. From no open conversation, the first (or last); at either end it stops.
 */
export function neighbour(state: InboxState, step: 1 | -1): string | null {
  const { waiting, active } = groupConversations(state);
  const ids = [...waiting, ...active].map((entry) => entry.summary.id);
  if (ids.length === 0) return null;
  const index = state.openId ? ids.indexOf(state.openId) : -1;
  if (index < 0) return (step === 1 ? ids[0] : ids[ids.length - 1]) ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, index + step))] ?? null;
}

/** True when keys typed at `target` are text: an input, a text area, a select or anything editable. */
export function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
