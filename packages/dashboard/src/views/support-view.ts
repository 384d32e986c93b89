import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { SupportMessage, SupportThread } from '../api-types.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { formatFull } from '../format.ts';
import { hrefFor } from '../router.ts';
import { page, section, table } from './page.ts';

// COM-1: the owner and admins write to the operator of this Parley installation and read the answers here. The
// operator keeps the messages to answer them, as the privacy policy says, and they go when the account is closed.

const INTRO =
  'Write to the people who run this Parley installation. Answers appear here and you are told of them by email. Messages are kept to answer them, as the privacy policy says.';

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
  const body = h('div', null, h('p', null, 'Loading your requests…'));
  const status = feedback();
  api
    .supportThreads()
    .then(({ threads }) => {
      if (threads.length === 0) {
        fill(body, h('p', { class: 'muted' }, 'You have not written to support yet.'));
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
            thread.unread ? h('strong', null, 'New answer') : thread.status === 'open' ? 'Open' : 'Closed',
          ),
          h('td', null, formatFull(thread.lastMessageAt)),
        ),
      );
      fill(body, table('Your support requests', ['Subject', 'Status', 'Last message'], rows));
    })
    .catch((error: unknown) => {
      fill(body);
      status.error(describeFailure(error, 'Your support requests'));
    });

  const subject = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' });
  const { form } = messageForm('Your message', 'Send to support', async (text) => {
    const { id } = await api.openSupportRequest({ subject: subject.value.trim(), body: text });
    location.hash = hrefFor({ name: 'support', threadId: id });
  });
  form.prepend(field('Subject', subject));
  return h('div', null, section('Your requests', status.element, body), section('Write to support', form));
}

function threadPage(api: ApiClient, threadId: string): HTMLElement {
  const body = h('div', null, h('p', null, 'Loading the request…'));
  const status = feedback();
  const heading = h('h2', null, 'Request');
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
              `${message.author === 'staff' ? 'Support' : (message.authorName ?? 'Your team')} · ${formatFull(message.createdAt)}`,
            ),
            h('p', { class: 'support-body' }, message.body),
          ),
        ),
      ),
    );
  const load = async () => {
    try {
      const { thread, messages } = await api.supportThread(threadId);
      heading.textContent = thread.status === 'closed' ? `${thread.subject} (closed)` : thread.subject;
      render(messages);
    } catch (error) {
      fill(body);
      status.error(describeFailure(error, 'This support request'));
    }
  };
  const { form } = messageForm('Your reply', 'Send', async (text) => {
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
    h('p', null, h('a', { href: hrefFor({ name: 'support', threadId: null }) }, 'All your requests')),
  );
}

/** Owner and admins: their requests to support, one thread each, and a form to write a new one. */
export function supportView(api: ApiClient, threadId: string | null): View {
  return {
    element: page('Support', INTRO, threadId ? threadPage(api, threadId) : threadList(api)),
    destroy() {},
  };
}
