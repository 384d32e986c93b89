import type { ApiClient } from '../api-client.ts';
import type { Agent } from '../api-types.ts';
import { h, type View } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import type { LiveInbox } from '../live-inbox.ts';
import { conversationListView } from './conversation-list-view.ts';
import { type ConversationView, conversationView } from './conversation-view.ts';

export interface InboxViewOptions {
  api: ApiClient;
  live: LiveInbox;
  me: Agent;
  announce(text: string): void;
}

export interface InboxView extends View {
  /** Shows a conversation, or the empty state; on a phone this switches between the list and the conversation. */
  open(conversationId: string | null): void;
  /** Asks to close the open conversation (a keyboard shortcut); nothing if none is open. */
  askToClose(): void;
}

/** The shift's main screen: conversation list on the left, the open conversation on the right. */
export function inboxView(options: InboxViewOptions): InboxView {
  const list = conversationListView(options.live);
  const emptyState = h(
    'div',
    { class: 'empty-pane' },
    h('h2', null, t('inbox.noneOpen')),
    h('p', null, t('inbox.pickOne')),
  );
  const pane = h(
    'section',
    { class: 'conversation-pane', 'aria-label': t('inbox.openConversation') },
    emptyState,
  );
  // The page's one h1, for screen reader users finding their way by headings; the layout already shows where they are.
  const title = h('h1', { class: 'sr-only' }, t('shell.nav.inbox'));
  const element = h('div', { class: 'inbox', 'data-pane': 'list' }, title, list.element, pane);
  let current: { id: string; view: ConversationView } | null = null;

  return {
    element,
    open(conversationId) {
      if (current?.id === conversationId) return;
      const wasOpen = current !== null;
      current?.view.destroy();
      current = null;
      options.live.focus(conversationId);
      element.dataset.pane = conversationId ? 'conversation' : 'list';
      if (!conversationId) {
        pane.replaceChildren(emptyState);
        // Back on the list (on a phone the conversation disappears): keep focus in the list, not on a removed node.
        if (wasOpen)
          list.element.querySelector<HTMLElement>('a.conversation-item')?.focus({ preventScroll: true });
        return;
      }
      const view = conversationView({ ...options, conversationId });
      current = { id: conversationId, view };
      pane.replaceChildren(view.element);
      // On a wide screen the agent wants to type; on a phone, focusing the reply box would cover the chat with the
      // keyboard, so focus goes to the heading instead.
      const wide = window.matchMedia('(min-width: 48em)').matches;
      const reply = view.element.querySelector<HTMLTextAreaElement>('textarea');
      if (wide && reply && !reply.closest('[hidden]')) reply.focus({ preventScroll: true });
      else view.element.querySelector<HTMLElement>('.conversation-title')?.focus({ preventScroll: true });
    },
    askToClose() {
      current?.view.askToClose();
    },
    destroy() {
      current?.view.destroy();
      current = null;
      list.destroy();
      options.live.focus(null);
    },
  };
}
