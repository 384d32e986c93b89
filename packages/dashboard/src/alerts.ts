import type { ChatMessage, ConversationSummary } from '@parley/protocol';
import { type InboxState, waitingCount } from './conversation-list.ts';

/**
 * When the dashboard alerts its agent (a desktop notification, a sound), decided from the live inbox alone so the
 * rules can be tested without a browser: a chat starts waiting; a visitor writes in a chat the agent holds while
 * they are not looking at it; a chat has waited too long. What an alert looks like is the adapters' business.
 */

export type Alert =
  | { kind: 'new-chat'; conversation: ConversationSummary }
  | { kind: 'message'; conversation: ConversationSummary; message: ChatMessage }
  | { kind: 'long-wait'; conversation: ConversationSummary };

/** How long a chat may wait before the agent is reminded of it, once. */
export const LONG_WAIT_MS = 2 * 60_000;

export interface AlertRulesOptions {
  /** The signed-in agent's id: their own chats alert on each visitor message. */
  me: string | undefined;
  longWaitMs?: number;
}

/** What the agent can see right now, besides the inbox. */
export interface Attention {
  /** The dashboard's tab is in the background or the window minimised. */
  hidden: boolean;
}

function lastVisitorMessage(summary: ConversationSummary): ChatMessage | undefined {
  const last = summary.lastMessage;
  return last?.author === 'visitor' ? last : undefined;
}

export class AlertRules {
  readonly #me: string | undefined;
  readonly #longWaitMs: number;
  /** Waiting chats already reminded of; a chat that leaves the waiting list and comes back may be again. */
  readonly #reminded = new Set<string>();

  constructor(options: AlertRulesOptions) {
    this.#me = options.me;
    this.#longWaitMs = options.longWaitMs ?? LONG_WAIT_MS;
  }

  /** The alerts one change of the inbox raises. A first load (a snapshot) raises none: it is not news. */
  changed(previous: InboxState, next: InboxState, attention: Attention): Alert[] {
    const alerts: Alert[] = [];
    for (const entry of next.conversations.values()) {
      const conversation = entry.summary;
      const before = previous.conversations.get(conversation.id)?.summary;
      if (conversation.status === 'waiting') {
        if (before?.status !== 'waiting') alerts.push({ kind: 'new-chat', conversation });
        continue;
      }
      if (conversation.status !== 'active' || !before || this.#me === undefined) continue;
      if (conversation.agentId !== this.#me) continue;
      const message = lastVisitorMessage(conversation);
      if (!message || message.id === before.lastMessage?.id) continue;
      const looking = next.openId === conversation.id && !attention.hidden;
      if (!looking) alerts.push({ kind: 'message', conversation, message });
    }
    return alerts;
  }

  /** The waiting chats that have now waited too long and were not reminded of yet; called on a timer. */
  overdue(state: InboxState, now: number): Alert[] {
    const alerts: Alert[] = [];
    const waiting = new Set<string>();
    for (const { summary } of state.conversations.values()) {
      if (summary.status !== 'waiting') continue;
      waiting.add(summary.id);
      if (this.#reminded.has(summary.id)) continue;
      const since = Date.parse(summary.startedAt);
      if (Number.isNaN(since) || now - since < this.#longWaitMs) continue;
      this.#reminded.add(summary.id);
      alerts.push({ kind: 'long-wait', conversation: summary });
    }
    for (const id of this.#reminded) if (!waiting.has(id)) this.#reminded.delete(id);
    return alerts;
  }
}

/**
 * The number the tab title and icon show: chats waiting for anyone, plus unread visitor messages in the chats
 * being answered. A waiting chat counts once, however many messages its visitor wrote. `unseenOpen` counts
 * messages that came into the open chat while the tab was hidden, which the inbox does not count as unread because
 * the chat is open.
 */
export function attentionCount(state: InboxState, unseenOpen = 0): number {
  let unread = 0;
  for (const entry of state.conversations.values())
    if (entry.summary.status !== 'waiting') unread += entry.unread;
  return waitingCount(state) + unread + unseenOpen;
}
