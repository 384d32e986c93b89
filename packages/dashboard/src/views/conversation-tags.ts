import { type ApiClient, describeFailure } from '../api-client.ts';
import type { Tag } from '../api-types.ts';
import { feedback, fill, h, uid } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

export interface ConversationTags {
  element: HTMLElement;
  /** Shows the tags the conversation's latest summary names (they arrive from every agent through the socket). */
  show(names: readonly string[]): void;
}

/**
 * A conversation's tags, each with a button that takes it off, and a choice of the account's other tags to put on.
 * The change reaches this and every other agent's dashboard as the conversation's new summary.
 */
export function conversationTags(api: ApiClient, conversationId: string): ConversationTags {
  const list = h('ul', { class: 'tag-list' });
  const selectId = uid('tag-choice');
  const choice = h('select', { id: selectId, name: 'tag' });
  const addButton = h('button', { type: 'button', class: 'button' }, t('tags.add'));
  const status = feedback();
  const element = h(
    'section',
    { class: 'conversation-tags', 'aria-label': t('tags.tags') },
    list,
    h(
      'div',
      { class: 'tag-add' },
      h('label', { for: selectId, class: 'sr-only' }, t('tags.choose')),
      choice,
      addButton,
    ),
    status.element,
  );
  let account: Tag[] = [];
  let current: readonly string[] = [];

  const change = async (work: () => Promise<void>) => {
    status.clear();
    try {
      await work();
    } catch (error) {
      status.error(describeFailure(error, t('tags.tags')));
    }
  };
  const render = () => {
    fill(
      list,
      current.map((name) => {
        const tag = account.find((candidate) => candidate.name === name);
        const remove = h(
          'button',
          { type: 'button', class: 'tag-remove', 'aria-label': t('tags.remove', { name }) },
          '×',
        );
        remove.disabled = !tag;
        if (tag)
          remove.addEventListener('click', () =>
            change(async () => {
              await api.untagConversation(conversationId, tag.id);
              shown(current.filter((each) => each !== tag.name));
            }),
          );
        const chip = h('li', { class: 'tag-chip' }, name, remove);
        // Through the CSSOM: the dashboard's Content-Security-Policy allows no style attributes.
        if (tag?.color) chip.style.borderColor = tag.color;
        return chip;
      }),
    );
    const others = account.filter((tag) => !current.includes(tag.name));
    fill(
      choice,
      others.map((tag) => h('option', { value: tag.id }, tag.name)),
    );
    choice.disabled = addButton.disabled = others.length === 0;
  };
  function shown(names: readonly string[]): void {
    current = names;
    render();
  }
  addButton.addEventListener('click', () => {
    const tagId = choice.value;
    const tag = account.find((each) => each.id === tagId);
    if (tag)
      void change(async () => {
        await api.tagConversation(conversationId, tag.id);
        // Shown at once; the frame every dashboard then hears says the same.
        if (!current.includes(tag.name)) shown([...current, tag.name]);
      });
  });
  api
    .tags()
    .then((tags) => {
      account = tags;
      render();
    })
    .catch((error: unknown) => status.error(describeFailure(error, t('tags.tags'))));

  return { element, show: shown };
}
