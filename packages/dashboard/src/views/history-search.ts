import { type ApiClient, messageOf } from '../api-client.ts';
import type { SearchMatch, SearchParams, SearchResults } from '../api-types.ts';
import { busy, type Child, feedback, field, fill, h } from '../dom.ts';
import { formatFull, formatWhen } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import { hrefFor } from '../router.ts';
import { visitorLabel } from './conversation-list-view.ts';

/** The search form as the agent filled it in: the words, dates as `YYYY-MM-DD`, and the chosen filters' ids. */
export type SearchForm = Record<
  'q' | 'from' | 'to' | 'tag' | 'agent' | 'department' | 'website' | 'rating',
  string
>;

/**
 * The last search of this sign-in, so that it is still there, and run again, when the agent comes back to the
 * history from a conversation they opened from its results. Kept by the shell for one signed-in agent only.
 */
export interface SearchMemory {
  last: SearchForm | null;
}

/** The instant a `YYYY-MM-DD` day begins in the browser's time zone, `days` later, as the API takes it. */
function dayStart(day: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}

/** The API's parameters for a filled-in form: the `to` day is included, so the search ends as the next day begins. */
export function searchParams(form: SearchForm): SearchParams {
  const { from, to, ...rest } = form;
  const params: SearchParams = { ...rest, q: form.q.trim() };
  const since = dayStart(from);
  const until = dayStart(to, 1);
  if (since) params.from = since;
  if (until) params.to = until;
  return params;
}

/**
 * A snippet's text with its matched words in `<mark>`: each part is a text node the DOM builds, so nothing a visitor
 * wrote is ever read as markup.
 */
export function snippetText(snippet: SearchMatch['snippet']): HTMLElement {
  const parts: Child[] = [];
  let at = 0;
  for (const [start, end] of snippet.marks) {
    if (start < at || end > snippet.text.length || start >= end) continue;
    parts.push(snippet.text.slice(at, start), h('mark', null, snippet.text.slice(start, end)));
    at = end;
  }
  parts.push(snippet.text.slice(at));
  return h('span', { class: 'search-snippet-text' }, parts);
}

/** Who wrote the match: a note, or the message's author. */
const matchLabel = (match: SearchMatch): string =>
  match.kind === 'note'
    ? t('search.note')
    : match.author === 'agent'
      ? t('list.agent')
      : match.author === 'system'
        ? t('search.system')
        : t('list.visitor');

/** A select of `options` after "any", named for its filter; hidden while there is nothing to choose. */
function choice(name: string, any: string): HTMLSelectElement {
  return h('select', { name }, h('option', { value: '' }, any));
}

function addOptions(select: HTMLSelectElement, options: Array<{ value: string; label: string }>): void {
  for (const option of options) select.append(h('option', { value: option.value }, option.label));
}

/**
 * The history's search: words of the conversations' messages and notes, a date range and filters by tag, agent,
 * department, rating and website. Each result opens the conversation's transcript; the search stays when the agent
 * comes back to the history.
 */
export function historySearch(options: {
  api: ApiClient;
  conversationId: string | null;
  memory: SearchMemory;
}): HTMLElement {
  const { api, conversationId, memory } = options;
  const words = h('input', { type: 'search', name: 'q', maxlength: 200, autocomplete: 'off' });
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const tag = choice('tag', t('tags.all'));
  const agent = choice('agent', t('search.anyAgent'));
  const department = choice('department', t('search.anyDepartment'));
  const website = choice('website', t('search.anyWebsite'));
  const rating = choice('rating', t('search.anyRating'));
  addOptions(
    rating,
    [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t('history.ratingValue', { rating: n }) })),
  );
  const controls = { q: words, from, to, tag, agent, department, website, rating };
  const filters = [
    field(t('search.from'), from),
    field(t('search.to'), to),
    field(t('tags.filter'), tag),
    field(t('list.agent'), agent),
    field(t('departments.department'), department),
    field(t('history.rating'), rating),
    field(t('conversation.website'), website),
  ];
  // Filters the account does not use (no tags, one website) stay out of the way until their options arrive.
  const [, , tagField, agentField, departmentField, , websiteField] = filters;
  for (const hidden of [tagField, agentField, departmentField, websiteField]) hidden!.hidden = true;

  const clear = h('button', { type: 'button', class: 'button' }, t('search.clear'));
  const form = h(
    'form',
    { class: 'history-search', role: 'search', 'aria-label': t('search.title') },
    h('div', { class: 'inline-form' }, field(t('search.words'), words, t('search.wordsHint'))),
    h('div', { class: 'inline-form search-filters' }, filters),
    h(
      'div',
      { class: 'button-row' },
      h('button', { type: 'submit', class: 'button button-primary' }, t('search.submit')),
      clear,
    ),
  );
  const status = feedback();
  const results = h('ol', { class: 'search-results', 'aria-label': t('search.results') });
  const more = h('button', { type: 'button', class: 'button', hidden: true }, t('search.more'));
  let cursor: string | null = null;
  let searches = 0;

  const resultItem = ({ conversation, match }: SearchResults['results'][number]) =>
    h(
      'li',
      { class: 'search-result' },
      h(
        'a',
        {
          href: hrefFor({ name: 'history', conversationId: conversation.id }),
          'aria-current': conversation.id === conversationId ? 'page' : null,
        },
        visitorLabel(conversation),
      ),
      ' ',
      h(
        'span',
        { class: 'muted' },
        h(
          'time',
          { datetime: conversation.startedAt, title: formatFull(conversation.startedAt) },
          formatWhen(conversation.startedAt),
        ),
        conversation.agentName ? ` · ${conversation.agentName}` : null,
        conversation.tags && conversation.tags.length > 0 ? ` · ${conversation.tags.join(', ')}` : null,
      ),
      match
        ? h(
            'p',
            { class: 'search-snippet' },
            h('span', { class: 'search-snippet-from' }, `${matchLabel(match)}: `),
            snippetText(match.snippet),
          )
        : null,
    );

  const run = async (next: boolean) => {
    const asked = ++searches;
    const values = Object.fromEntries(
      Object.entries(controls).map(([name, control]) => [name, control.value]),
    ) as SearchForm;
    memory.last = values;
    status.clear();
    try {
      const page = await api.search(searchParams(values), next ? cursor : null);
      // An answer to a search the agent has since replaced belongs to the old one.
      if (asked !== searches) return;
      if (!next) fill(results);
      results.append(...page.results.map(resultItem));
      cursor = page.nextCursor ?? null;
      more.hidden = cursor === null;
      const shown = results.children.length;
      if (shown === 0) status.info(t('search.none'));
      else status.success(t('search.found', { count: shown }));
    } catch (error) {
      if (asked === searches) status.error(messageOf(error));
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, () => run(false));
  });
  more.addEventListener('click', () => void busy(more, () => run(true)));
  clear.addEventListener('click', () => {
    searches++;
    for (const control of Object.values(controls)) control.value = '';
    memory.last = null;
    cursor = null;
    more.hidden = true;
    fill(results);
    status.clear();
    words.focus();
  });

  // The filters' options: the account's tags, its agents and departments (every agent sees them by name), websites.
  const filled = Promise.allSettled([
    api.tags().then((tags) => {
      addOptions(
        tag,
        tags.map((x) => ({ value: x.id, label: x.name })),
      );
      tagField!.hidden = tags.length === 0;
    }),
    api.departments().then((found) => {
      addOptions(
        agent,
        found.agents.map((x) => ({ value: x.id, label: x.name })),
      );
      addOptions(
        department,
        found.departments.map((x) => ({ value: x.id, label: x.name })),
      );
      agentField!.hidden = found.agents.length === 0;
      departmentField!.hidden = found.departments.length === 0;
    }),
    api.websites().then((sites) => {
      addOptions(
        website,
        sites.map((x) => ({ value: x.id, label: x.name })),
      );
      websiteField!.hidden = sites.length < 2;
    }),
  ]);
  const remembered = memory.last;
  if (remembered)
    void filled.then(() => {
      for (const [name, control] of Object.entries(controls))
        control.value = remembered[name as keyof SearchForm];
      void run(false);
    });

  return h(
    'section',
    { class: 'card' },
    h('h2', null, t('search.title')),
    form,
    status.element,
    results,
    more,
  );
}
