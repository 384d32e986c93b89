import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { OfflineMessage } from '../api-types.ts';
import { busy, checkbox, feedback, fill, h, type View } from '../dom.ts';
import { formatFull } from '../format.ts';
import { page, section } from './page.ts';

/** Messages visitors left while nobody was online: answer them by email, then mark them handled. */
export function offlineMessagesView(api: ApiClient): View {
  const body = h('div', null, h('p', null, 'Loading messages…'));
  const status = feedback();
  const showHandled = h('input');

  const item = (message: OfflineMessage): HTMLLIElement => {
    const handle = h('button', { type: 'button', class: 'button button-small' }, 'Mark as handled');
    const card = h(
      'li',
      { class: message.handledAt ? 'offline-message handled' : 'offline-message' },
      h(
        'p',
        { class: 'message-meta' },
        h('span', { class: 'message-author' }, message.name?.trim() || 'Visitor'),
        ' · ',
        h('span', { class: 'break' }, message.email),
        ' · ',
        h('time', { datetime: message.at }, formatFull(message.at)),
        message.mailHeld ? h('span', { class: 'tag' }, ' Held: not emailed') : null,
      ),
      message.mailHeld
        ? h(
            'p',
            { class: 'muted' },
            'More messages than usual arrived within an hour, so this one was not emailed to you. Answer it from here.',
          )
        : null,
      h('p', { class: 'message-text' }, message.text),
      message.handledAt ? h('p', { class: 'muted' }, `Handled ${formatFull(message.handledAt)}`) : handle,
    );
    handle.addEventListener('click', async () => {
      status.clear();
      try {
        await busy(card, () => api.markOfflineMessageHandled(message.id));
        status.success('Marked as handled.');
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
      fill(
        body,
        offlineMessages.length === 0
          ? h('p', { class: 'muted' }, showHandled.checked ? 'No messages.' : 'Nothing to answer.')
          : h('ul', { class: 'offline-messages' }, offlineMessages.map(item)),
      );
    } catch (error) {
      fill(body);
      status.error(describeFailure(error, 'Offline messages'));
    }
  };
  showHandled.addEventListener('change', () => void load());

  void load();
  return {
    element: page(
      'Offline messages',
      'Visitors wrote these while nobody was online, and left an email address for the answer.',
      section('Messages', checkbox('Show handled messages too', showHandled), status.element, body),
    ),
    destroy() {},
  };
}
