import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { SupportMessage, SupportThread } from '../api-types.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { formatFull } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import { hrefFor } from '../router.ts';
import { page, section, table } from './page.ts';

// COM-1: the owner and admins write to the operator of this Parley installation and read the answers here. The
// operator keeps the messages to answer them, as the privacy policy says, and they go when the account is closed.

function messageForm(label: string, button: string, onSend: (text: string) => Promise<void>) {
  const text = h('textarea', { rows: 5, required: true, maxlength: 10_000 });
  const status = feedback();
  const form = h(
    'form',
    { class: 'stack-form' },
    field(label, text),
    h('button', { type: 'submit', class: 'button button-primary' }, button),
    status.element,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    try {
      await busy(form, () => onSend(text.value.trim()));
      text.value = '';
    } catch (error) {
      status.error(messageOf(error));
    }
  });
  return { form, text };
}

function threadList(api: ApiClient): HTMLElement {
  const body = h('div', null, h('p', null, t('support.loading')));
  const status = feedback();
  api
    .supportThreads()
    .then(({ threads }) => {
      if (threads.length === 0) {
        fill(body, h('p', { class: 'muted' }, t('support.none')));
        return;
      }
      const rows = threads.map((thread: SupportThread) =>
        h(
          'tr',
          { class: thread.unread ? 'row-unread' : null },
          h(
            'th',
            { scope: 'row' },
            h('a', { href: hrefFor({ name: 'support', threadId: thread.id }) }, thread.subject),
          ),
          h(
            'td',
            null,
            thread.unread
              ? h('strong', null, t('support.newAnswer'))
              : thread.status === 'open'
                ? t('privacy.open')
                : t('conversation.closed'),
          ),
          h('td', null, formatFull(thread.lastMessageAt)),
        ),
      );
      fill(
        body,
        table(
          t('support.yourRequests'),
          [t('support.subject'), t('privacy.status'), t('support.lastMessage')],
          rows,
        ),
      );
    })
    .catch((error: unknown) => {
      fill(body);
      status.error(describeFailure(error, t('support.yourRequests')));
    });

  const subject = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' });
  const { form } = messageForm(t('support.yourMessage'), t('support.send'), async (text) => {
    const { id } = await api.openSupportRequest({ subject: subject.value.trim(), body: text });
    location.hash = hrefFor({ name: 'support', threadId: id });
  });
  form.prepend(field(t('support.subject'), subject));
  return h(
    'div',
    null,
    section(t('support.requests'), status.element, body),
    section(t('support.write'), form),
  );
}

function threadPage(api: ApiClient, threadId: string): HTMLElement {
  const body = h('div', null, h('p', null, t('support.loadingOne')));
  const status = feedback();
  const heading = h('h2', null, t('privacy.request'));
  const render = (messages: SupportMessage[]) =>
    fill(
      body,
      h(
        'ol',
        { class: 'support-messages' },
        messages.map((message) =>
          h(
            'li',
            { class: message.author === 'staff' ? 'support-answer' : 'support-question' },
            h(
              'p',
              { class: 'muted' },
              `${message.author === 'staff' ? t('shell.nav.support') : (message.authorName ?? t('support.yourTeam'))} · ${formatFull(message.createdAt)}`,
            ),
            h('p', { class: 'support-body' }, message.body),
          ),
        ),
      ),
    );
  const load = async () => {
    try {
      const { thread, messages } = await api.supportThread(threadId);
      heading.textContent =
        thread.status === 'closed' ? t('support.closedSubject', { subject: thread.subject }) : thread.subject;
      render(messages);
    } catch (error) {
      fill(body);
      status.error(describeFailure(error, t('support.thisRequest')));
    }
  };
  const { form } = messageForm(t('support.yourReply'), t('conversation.send'), async (text) => {
    await api.writeToSupport(threadId, text);
    await load();
  });
  void load();
  return h(
    'section',
    { class: 'card' },
    heading,
    status.element,
    body,
    form,
    h('p', null, h('a', { href: hrefFor({ name: 'support', threadId: null }) }, t('support.all'))),
  );
}

/** Owner and admins: their requests to support, one thread each, and a form to write a new one. */
export function supportView(api: ApiClient, threadId: string | null): View {
  return {
    element: page(
      t('shell.nav.support'),
      t('support.intro'),
      threadId ? threadPage(api, threadId) : threadList(api),
    ),
    destroy() {},
  };
}
