import { type ApiClient, describeFailure } from '../api-client.ts';
import type { CannedReply, Tag } from '../api-types.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { page, section } from './page.ts';

/** One list of the page: its items, each with a delete button for those who may, and the status of its changes. */
function managedList<T extends { id: string }>(
  canEdit: boolean,
  describe: (item: T) => HTMLElement[],
  remove: (item: T) => Promise<void>,
  label: (item: T) => string,
) {
  const list = h('ul', { class: 'managed-list' });
  const status = feedback();
  const show = (items: readonly T[]) =>
    fill(
      list,
      items.length === 0
        ? h('li', { class: 'muted' }, t('replies.none'))
        : items.map((item) => {
            const button = h(
              'button',
              {
                type: 'button',
                class: 'button button-danger-quiet',
                'aria-label': t('replies.delete', { name: label(item) }),
              },
              t('replies.deleteShort'),
            );
            button.addEventListener('click', async () => {
              status.clear();
              try {
                await busy(button, () => remove(item));
              } catch (error) {
                status.error(describeFailure(error, label(item)));
              }
            });
            return h('li', { class: 'managed-item' }, describe(item), canEdit ? button : null);
          }),
    );
  return { list, status, show };
}

/**
 * The account's canned replies and tags. Every agent sees the replies they can insert with `/`; owners and admins
 * add and delete replies and tags. The placeholders a reply may use are explained beside its text.
 */
export function cannedRepliesView(options: { api: ApiClient; canEdit: boolean }): View {
  const { api, canEdit } = options;
  const replies = managedList<CannedReply>(
    canEdit,
    (reply) => [h('strong', { class: 'canned-short-name' }, `/${reply.shortName}`), h('p', null, reply.body)],
    async (reply) => {
      await api.deleteCannedReply(reply.id);
      await loadReplies();
    },
    (reply) => `/${reply.shortName}`,
  );
  const tags = managedList<Tag>(
    canEdit,
    (tag) => [colored(h('span', { class: 'tag-chip' }, tag.name), tag.color)],
    async (tag) => {
      await api.deleteTag(tag.id);
      await loadTags();
    },
    (tag) => tag.name,
  );
  const loadReplies = async () => replies.show(await api.cannedReplies());
  const loadTags = async () => tags.show(await api.tags());

  const shortName = h('input', { name: 'shortName', required: true, maxlength: 32, autocomplete: 'off' });
  const body = h('textarea', { name: 'body', required: true, rows: 4, maxlength: 4000 });
  const replyForm = h(
    'form',
    { class: 'form' },
    field(t('replies.shortName'), shortName, t('replies.shortNameHint')),
    field(t('replies.text'), body, t('replies.placeholders')),
    h('button', { type: 'submit', class: 'button button-primary' }, t('replies.add')),
  );
  replyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    replies.status.clear();
    try {
      await busy(replyForm, () => api.createCannedReply({ shortName: shortName.value, body: body.value }));
      replyForm.reset();
      await loadReplies();
    } catch (error) {
      replies.status.error(describeFailure(error, t('replies.title')));
    }
  });

  const tagName = h('input', { name: 'name', required: true, maxlength: 40, autocomplete: 'off' });
  const tagForm = h(
    'form',
    { class: 'form' },
    field(t('tags.tag'), tagName),
    h('button', { type: 'submit', class: 'button button-primary' }, t('tags.create')),
  );
  tagForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    tags.status.clear();
    try {
      await busy(tagForm, () => api.createTag({ name: tagName.value }));
      tagForm.reset();
      await loadTags();
    } catch (error) {
      tags.status.error(describeFailure(error, t('tags.tags')));
    }
  });

  loadReplies().catch((error: unknown) => replies.status.error(describeFailure(error, t('replies.title'))));
  loadTags().catch((error: unknown) => tags.status.error(describeFailure(error, t('tags.tags'))));
  return {
    element: page(
      t('replies.title'),
      t('replies.intro'),
      section(t('replies.title'), replies.status.element, replies.list, canEdit ? replyForm : null),
      section(t('tags.tags'), tags.status.element, tags.list, canEdit ? tagForm : null),
    ),
    destroy() {},
  };
}

/** A tag's chip in its colour, set through the CSSOM: the dashboard's Content-Security-Policy allows no style attributes. */
function colored(chip: HTMLElement, color: string | null | undefined): HTMLElement {
  if (color) chip.style.borderColor = color;
  return chip;
}
