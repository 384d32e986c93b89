import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Agent, ConversationDetail, PastConversation } from '../api-types.ts';
import { busy, type Child, checkbox, feedback, fill, h, uid, type View } from '../dom.ts';
import { countryName, formatFull, formatWhen } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import { hrefFor } from '../router.ts';
import { visitorLabel } from './conversation-list-view.ts';
import { messageItem } from './conversation-view.ts';
import { historySearch, type SearchMemory } from './history-search.ts';
import { page, section, table } from './page.ts';

export interface HistoryViewOptions {
  api: ApiClient;
  me: Agent;
  conversationId: string | null;
  /** The last search of this sign-in, shown again when the agent comes back from a result. */
  search: SearchMemory;
}

function transcriptOf(detail: ConversationDetail, me: Agent): Child[] {
  const { conversation, messages } = detail;
  const facts = [
    t('history.startedAt', { when: formatFull(conversation.startedAt) }),
    conversation.closedAt ? t('history.closedAt', { when: formatFull(conversation.closedAt) }) : null,
    conversation.agentName ? t('history.answeredBy', { name: conversation.agentName }) : null,
    conversation.rating ? t('history.rated', { rating: conversation.rating }) : null,
  ].filter(Boolean);
  return [
    h(
      'h2',
      { tabindex: '-1', class: 'transcript-title' },
      t('history.conversationWith', { visitor: visitorLabel(conversation) }),
    ),
    h('p', { class: 'muted' }, facts.join(' · ')),
    conversation.ratingComment
      ? h('blockquote', { class: 'rating-comment' }, conversation.ratingComment)
      : null,
    h(
      'ol',
      { class: 'messages messages-static', 'aria-label': t('conversation.messages') },
      messages.length === 0 ? h('li', { class: 'message-placeholder' }, t('history.noMessages')) : null,
      messages.map((message) => messageItem(message, me)),
    ),
    h(
      'p',
      null,
      h('a', { href: hrefFor({ name: 'history', conversationId: null }) }, t('history.backToAll')),
    ),
  ];
}

/** SEC-1: owners and admins take back any spam report, an agent only their own. */
const mayClearSpam = (me: Agent, summary: PastConversation) =>
  me.role !== 'agent' || summary.spamReportedBy === me.id;

/**
 * Closed conversations, newest first and paged, and one transcript at a time, with a search of every conversation
 * the agent may see above the list. Conversations reported as spam are left out, or listed alone under the spam
 * filter, each with "Not spam".
 */
export function historyView(options: HistoryViewOptions): View {
  const { api, me, conversationId } = options;
  const listBody = h('div', null, h('p', null, t('history.loading')));
  const listStatus = feedback();
  const more = h('button', { type: 'button', class: 'button', hidden: true }, t('history.older'));
  const spamOnly = h('input', { name: 'spamOnly' });
  const conversations: PastConversation[] = [];
  let cursor: string | null = null;
  // The history of one tag, or of all; the account's tags fill the choice once they arrive.
  const tagFilterId = uid('history-tag');
  let filterChanges = 0;
  const tagFilter = h('select', { id: tagFilterId, name: 'tag' }, h('option', { value: '' }, t('tags.all')));
  const filterBar = h(
    'div',
    { class: 'history-filter' },
    h('label', { for: tagFilterId }, t('history.tagFilter')),
    tagFilter,
  );
  api
    .tags()
    .then((tags) => {
      for (const tag of tags) tagFilter.append(h('option', { value: tag.id }, tag.name));
    })
    .catch(() => {
      filterBar.hidden = true;
    });

  const notSpamButton = (summary: PastConversation) => {
    const button = h('button', { type: 'button', class: 'button' }, t('spam.notSpam'));
    button.addEventListener('click', async () => {
      listStatus.clear();
      try {
        await busy(button, () => api.clearSpam(summary.id));
        conversations.splice(conversations.indexOf(summary), 1);
        renderList();
        listStatus.success(t('spam.cleared'));
      } catch (error) {
        listStatus.error(messageOf(error));
      }
    });
    return button;
  };

  const renderList = () => {
    if (conversations.length === 0) {
      fill(listBody, h('p', { class: 'muted' }, spamOnly.checked ? t('spam.none') : t('history.none')));
      return;
    }
    const rows = conversations.map((summary) =>
      h(
        'tr',
        { class: summary.id === conversationId ? 'row-current' : null },
        h(
          'td',
          null,
          h(
            'a',
            {
              href: hrefFor({ name: 'history', conversationId: summary.id }),
              'aria-current': summary.id === conversationId ? 'page' : null,
            },
            visitorLabel(summary),
          ),
          summary.childFlagged ? h('span', { class: 'tag' }, ` ${t('history.flagged')}`) : null,
          summary.spam ? h('span', { class: 'tag' }, ` ${t('spam.reportedTag')}`) : null,
        ),
        h(
          'td',
          null,
          h(
            'time',
            { datetime: summary.startedAt, title: formatFull(summary.startedAt) },
            formatWhen(summary.startedAt),
          ),
        ),
        h('td', null, summary.agentName ?? '—'),
        h('td', null, summary.visitor.country ? countryName(summary.visitor.country) : '—'),
        h('td', null, summary.rating ? t('history.ratingValue', { rating: summary.rating }) : '—'),
        h('td', null, summary.tags && summary.tags.length > 0 ? summary.tags.join(', ') : '—'),
        spamOnly.checked ? h('td', null, mayClearSpam(me, summary) ? notSpamButton(summary) : null) : null,
      ),
    );
    fill(
      listBody,
      table(
        t('history.closedConversations'),
        [
          t('list.visitor'),
          t('conversation.started'),
          t('list.agent'),
          t('conversation.country'),
          t('history.rating'),
          t('tags.tags'),
          ...(spamOnly.checked ? [t('spam.actions')] : []),
        ],
        rows,
      ),
    );
  };

  const loadPage = async () => {
    listStatus.clear();
    try {
      const asked = filterChanges;
      const body = await api.closedConversations(cursor, tagFilter.value || null, spamOnly.checked);
      // A page asked for before a filter changed belongs to the old list.
      if (asked !== filterChanges) return;
      conversations.push(...body.conversations);
      cursor = body.nextCursor ?? null;
      more.hidden = cursor === null;
      renderList();
    } catch (error) {
      if (conversations.length === 0) fill(listBody);
      listStatus.error(describeFailure(error, t('shell.nav.history')));
    }
  };
  const refilter = () => {
    filterChanges++;
    conversations.length = 0;
    cursor = null;
    more.hidden = true;
    fill(listBody, h('p', null, t('history.loading')));
    void loadPage();
  };
  tagFilter.addEventListener('change', refilter);
  spamOnly.addEventListener('change', refilter);
  more.addEventListener('click', async () => {
    more.disabled = true;
    await loadPage();
    more.disabled = false;
  });

  const transcript = h('section', { class: 'card transcript' }, h('p', null, t('history.loadingOne')));
  if (conversationId) {
    api
      .conversation(conversationId)
      .then((detail) => {
        fill(transcript, transcriptOf(detail, me));
        transcript.querySelector<HTMLElement>('.transcript-title')?.focus({ preventScroll: true });
      })
      .catch((error: unknown) => {
        fill(transcript, h('p', { class: 'feedback feedback-error', role: 'alert' }, messageOf(error)));
      });
  }

  void loadPage();
  return {
    element: page(
      t('shell.nav.history'),
      t('history.intro'),
      conversationId ? transcript : null,
      historySearch({ api, conversationId, memory: options.search }),
      section(
        t('history.closedConversations'),
        filterBar,
        checkbox(t('spam.only'), spamOnly),
        listStatus.element,
        listBody,
        more,
      ),
    ),
    destroy() {},
  };
}
