import type { ConversationSummary } from '@parley/protocol';
import { type ConversationEntry, groupConversations, lastActivity } from '../conversation-list.ts';
import { fill, h, type View } from '../dom.ts';
import { countryName, formatFull, formatWhen } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import type { LiveInbox, LiveState } from '../live-inbox.ts';
import { hrefFor } from '../router.ts';

export function visitorLabel(summary: ConversationSummary): string {
  return summary.visitor.name?.trim() || summary.visitor.email?.trim() || t('list.visitor');
}

function preview(summary: ConversationSummary): string {
  const last = summary.lastMessage;
  if (!last) return t('list.noMessages');
  const who = last.author === 'agent' ? `${last.authorName ?? t('list.agent')}: ` : '';
  return `${who}${last.text}`.replace(/\s+/g, ' ').slice(0, 140);
}

function item(entry: ConversationEntry, openId: string | null): HTMLLIElement {
  const { summary } = entry;
  const when = lastActivity(summary);
  const meta = [
    summary.visitor.country ? countryName(summary.visitor.country) : null,
    summary.department?.name ?? null,
    summary.agentName ? t('list.withAgent', { name: summary.agentName }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const link = h(
    'a',
    {
      href: hrefFor({ name: 'inbox', conversationId: summary.id }),
      class: entry.unread > 0 ? 'conversation-item unread' : 'conversation-item',
      'data-conversation-id': summary.id,
      'aria-current': summary.id === openId ? 'page' : null,
    },
    h(
      'span',
      { class: 'item-top' },
      h('span', { class: 'item-name' }, visitorLabel(summary)),
      h('time', { class: 'item-time', datetime: when, title: formatFull(when) }, formatWhen(when)),
    ),
    h(
      'span',
      { class: 'item-bottom' },
      h('span', { class: 'item-preview' }, entry.visitorTyping ? t('list.typing') : preview(summary)),
      entry.unread > 0
        ? h(
            'span',
            { class: 'badge' },
            h('span', { 'aria-hidden': 'true' }, String(entry.unread)),
            h('span', { class: 'sr-only' }, t('list.unread', { count: entry.unread })),
          )
        : null,
    ),
    meta ? h('span', { class: 'item-meta' }, meta) : null,
  );
  return h('li', null, link);
}

function group(
  name: string,
  title: string,
  entries: ConversationEntry[],
  openId: string | null,
  empty: string,
): HTMLElement {
  const id = `group-${name}`;
  return h(
    'section',
    { class: 'conversation-group', 'aria-labelledby': id },
    h('h2', { id, class: 'group-title' }, title, ' ', h('span', { class: 'count' }, String(entries.length))),
    entries.length === 0
      ? h('p', { class: 'group-empty' }, empty)
      : h(
          'ul',
          { class: 'conversation-items' },
          entries.map((entry) => item(entry, openId)),
        ),
  );
}

/** Left pane: Waiting and Active conversations, newest activity first, live. Arrow keys move between them. */
export function conversationListView(live: LiveInbox): View {
  const body = h('div', { class: 'conversation-groups' });
  const element = h('nav', { class: 'conversation-list', 'aria-label': t('list.conversations') }, body);

  const render = (state: LiveState) => {
    const focusedId =
      document.activeElement instanceof HTMLElement && body.contains(document.activeElement)
        ? document.activeElement.dataset.conversationId
        : undefined;
    const groups = groupConversations(state.inbox);
    const openId = state.inbox.openId;
    const loading = !state.ready && state.inbox.conversations.size === 0;
    fill(
      body,
      loading
        ? h('p', { class: 'group-empty' }, t('list.loading'))
        : [
            group('waiting', t('list.waiting'), groups.waiting, openId, t('list.nobodyWaiting')),
            group('active', t('list.active'), groups.active, openId, t('list.noneActive')),
          ],
    );
    if (focusedId)
      body.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(focusedId)}"]`)?.focus();
  };

  element.addEventListener('keydown', (event) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const links = [...body.querySelectorAll<HTMLAnchorElement>('a.conversation-item')];
    if (links.length === 0) return;
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    let next = index;
    if (event.key === 'ArrowDown') next = index < 0 ? 0 : Math.min(links.length - 1, index + 1);
    else if (event.key === 'ArrowUp') next = index < 0 ? 0 : Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else next = links.length - 1;
    event.preventDefault();
    links[next]?.focus();
  });

  render(live.state);
  const unsubscribe = live.subscribe((state, previous) => {
    if (state.inbox !== previous.inbox || state.ready !== previous.ready) render(state);
  });
  // Relative times ("Tue 14:05") go stale at midnight; a minute's refresh is plenty.
  const timer = setInterval(() => render(live.state), 60_000);
  return {
    element,
    destroy() {
      unsubscribe();
      clearInterval(timer);
    },
  };
}
