import type { ApiClient } from '../api-client.ts';
import {
  type CannedReplyChoice,
  fillPlaceholders,
  filterCannedReplies,
  movedIndex,
  slashQuery,
} from '../canned-replies.ts';
import { fill, h, uid } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

export interface CannedReplyPicker {
  /** The list, to place beside the reply box. */
  element: HTMLUListElement;
  /** Handles a key of the reply box while the list is open; true when it did (the box then ignores the key). */
  handleKey(event: KeyboardEvent): boolean;
}

/**
 * The `/` list of the reply box: a listbox the box controls (focus stays in the box, `aria-autocomplete` says a list
 * may appear and `aria-activedescendant` names the highlighted option; a textarea may not be a combobox, so it
 * carries no `aria-expanded`). Typing `/` at the start opens it, filtered by what follows;
 * the arrows move, Enter or Tab inserts the reply with its placeholders filled in, Escape closes it.
 */
export function cannedReplyPicker(
  api: ApiClient,
  box: HTMLTextAreaElement,
  names: () => { visitor: string | null | undefined; agent: string },
): CannedReplyPicker {
  const list = h('ul', { class: 'canned-picker', role: 'listbox', id: uid('canned'), hidden: true });
  list.setAttribute('aria-label', t('canned.list'));
  box.setAttribute('aria-autocomplete', 'list');
  box.setAttribute('aria-controls', list.id);
  let replies: Promise<CannedReplyChoice[]> | null = null;
  let shown: CannedReplyChoice[] = [];
  let active = 0;

  const close = () => {
    shown = [];
    list.hidden = true;
    fill(list);
    box.removeAttribute('aria-activedescendant');
  };
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
    });
    const option = list.children[index];
    if (option) {
      box.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    }
  };
  const insert = (reply: CannedReplyChoice) => {
    box.value = fillPlaceholders(reply.body, { ...names(), visitorFallback: t('canned.visitorFallback') });
    close();
    box.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const render = (choices: CannedReplyChoice[]) => {
    shown = choices;
    if (choices.length === 0) return close();
    fill(
      list,
      choices.map((reply) => {
        const option = h(
          'li',
          { role: 'option', id: `${list.id}-${reply.id}`, class: 'canned-option' },
          h('span', { class: 'canned-short-name' }, `/${reply.shortName}`),
          h('span', { class: 'canned-preview' }, reply.body),
        );
        // Keeps the focus in the box: the click chooses without blurring it.
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => insert(reply));
        return option;
      }),
    );
    list.hidden = false;
    highlight(0);
  };

  box.addEventListener('input', () => {
    const query = slashQuery(box.value);
    if (query === null) return close();
    replies ??= api.cannedReplies().catch(() => {
      replies = null;
      return [];
    });
    void replies.then((all) => {
      // The box may have changed while the replies loaded.
      if (slashQuery(box.value) === query) render(filterCannedReplies(all, query));
    });
  });
  box.addEventListener('blur', close);

  return {
    element: list,
    handleKey(event) {
      if (list.hidden || shown.length === 0) return false;
      const moved = movedIndex(event.key, active, shown.length);
      if (moved !== null) {
        event.preventDefault();
        highlight(moved);
        return true;
      }
      const chosen = shown[active];
      if ((event.key === 'Enter' || event.key === 'Tab') && chosen) {
        event.preventDefault();
        insert(chosen);
        return true;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
        return true;
      }
      return false;
    },
  };
}
