import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { OfflineMessage, OfflineReply } from '../api-types.ts';
import { busy, checkbox, feedback, field, fill, h, type View } from '../dom.ts';
import { formatFull } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import { messageText } from './conversation-view.ts';
import { page, section } from './page.ts';

/**
 * Messages visitors left while nobody was online: answer them by email, then mark them handled. `onCount` hears
 * how many are unhandled whenever the list is loaded, for the count on the section's tab.
 */
export function offlineMessagesView(api: ApiClient, onCount: (unhandled: number) => void): View {
  const body = h('div', null, h('p', null, t('conversation.loadingMessages')));
  const status = feedback();
  const showHandled = h('input');

  /** The answers already mailed, under the message they answer, as the visitor's mail client threads them. */
  const thread = (replies: readonly OfflineReply[]) =>
    replies.length === 0
      ? null
      : h(
          'ol',
          { class: 'offline-replies', 'aria-label': t('offline.replies') },
          replies.map((reply) =>
            h(
              'li',
              { class: 'offline-reply' },
              h('p', { class: 'message-meta' }, h('time', { datetime: reply.at }, formatFull(reply.at))),
              h('p', { class: 'message-text' }, reply.text),
            ),
          ),
        );

  /** A form that mails an answer to the address the visitor gave. */
  const replyForm = (message: OfflineMessage) => {
    const text = h('textarea', { rows: 3, maxlength: 10_000, required: true });
    const sent = feedback();
    const form = h(
      'form',
      { class: 'stack-form offline-reply-form' },
      field(t('offline.replyLabel', { email: message.email }), text),
      sent.element,
      h('button', { type: 'submit', class: 'button button-primary button-small' }, t('offline.send')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      sent.clear();
      if (!text.value.trim()) {
        sent.error(t('offline.replyEmpty'));
        return;
      }
      try {
        await busy(form, () => api.replyToOfflineMessage(message.id, text.value));
        status.success(t('offline.sent', { email: message.email }));
        await load();
      } catch (error) {
        sent.error(messageOf(error));
      }
    });
    return form;
  };

  const item = (message: OfflineMessage): HTMLLIElement => {
    const handle = h('button', { type: 'button', class: 'button button-small' }, t('offline.markHandled'));
    const card = h(
      'li',
      { class: message.handledAt ? 'offline-message handled' : 'offline-message' },
      h(
        'p',
        { class: 'message-meta' },
        h('span', { class: 'message-author' }, message.name?.trim() || t('list.visitor')),
        ' · ',
        h('span', { class: 'break' }, message.email),
        ' · ',
        h('time', { datetime: message.at }, formatFull(message.at)),
        message.mailHeld ? h('span', { class: 'tag' }, ` ${t('offline.held')}`) : null,
      ),
      message.mailHeld ? h('p', { class: 'muted' }, t('offline.heldText')) : null,
      messageText(message.text),
      thread(message.replies ?? []),
      replyForm(message),
      message.handledAt
        ? h('p', { class: 'muted' }, t('offline.handledAt', { when: formatFull(message.handledAt) }))
        : handle,
    );
    handle.addEventListener('click', async () => {
      status.clear();
      try {
        await busy(card, () => api.markOfflineMessageHandled(message.id));
        status.success(t('offline.marked'));
        await load();
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    return card;
  };

  const load = async () => {
    try {
      const { offlineMessages } = await api.offlineMessages(showHandled.checked);
      onCount(offlineMessages.filter((message) => message.handledAt === null).length);
      fill(
        body,
        offlineMessages.length === 0
          ? h('p', { class: 'muted' }, showHandled.checked ? t('history.noMessages') : t('offline.nothing'))
          : h('ul', { class: 'offline-messages' }, offlineMessages.map(item)),
      );
    } catch (error) {
      fill(body);
      status.error(describeFailure(error, t('shell.nav.messages')));
    }
  };
  showHandled.addEventListener('change', () => void load());

  void load();
  return {
    element: page(
      t('shell.nav.messages'),
      t('offline.intro'),
      section(
        t('conversation.messages'),
        checkbox(t('offline.showHandled'), showHandled),
        status.element,
        body,
      ),
    ),
    destroy() {},
  };
}
