import { api, type Outputs } from '../api.ts';
import { badge, confirmAction, dataTable, field, h } from '../dom.ts';
import { formatDateTime } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

type Thread = Outputs['support']['list']['threads'][number];

/** The request open in the page; it stays open across a refresh after replying. */
let openThread: string | null = null;

async function threadSection(ctx: ViewContext, threadId: string): Promise<HTMLElement> {
  const { thread, messages } = await api.support.thread.query({ threadId });
  const body = h('textarea', { name: 'body', required: true, maxlength: 10_000, rows: 5 });
  const status = h('div');
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send the answer');
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field(
      'Answer',
      body,
      'Stored in the thread and announced to the account holder by email, without its text.',
    ),
    h('div', { class: 'actions' }, send),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await act(ctx, send, status, async () => {
      await api.support.reply.mutate({ threadId, body: body.value });
      return 'The answer is sent.';
    });
    if (ok) ctx.refresh();
  });
  const close = h('button', { type: 'button', class: 'button secondary' }, 'Close the request');
  close.addEventListener('click', async () => {
    const yes = await confirmAction({
      title: 'Close this request?',
      body: 'Its messages are then kept for the period the policy gives closed support requests. A new message opens it again.',
      confirm: 'Close',
    });
    if (!yes) return;
    const ok = await act(ctx, close, status, async () => {
      await api.support.close.mutate({ threadId });
      return 'The request is closed.';
    });
    if (ok) ctx.refresh();
  });
  return section(
    `${thread.organization}: ${thread.subject}`,
    h(
      'ol',
      { class: 'thread' },
      messages.map((m) =>
        h(
          'li',
          { class: m.author === 'staff' ? 'from-staff' : 'from-account' },
          h(
            'p',
            { class: 'hint' },
            `${m.author === 'staff' ? 'Support' : 'Account'} · ${m.authorName ?? 'no longer on record'} · ${formatDateTime(m.createdAt)}`,
          ),
          h('p', { class: 'message-body' }, m.body),
        ),
      ),
    ),
    form,
    thread.status === 'open' ? h('div', { class: 'actions' }, close) : h('p', {}, badge('Closed')),
  );
}

/** COM-1: account holders' requests to the operator, answered here by support staff. */
export async function supportView(ctx: ViewContext): Promise<HTMLElement> {
  const { threads } = await api.support.list.query({ limit: 100 });
  const open = (t: Thread) => {
    const link = h('button', { type: 'button', class: 'link' }, t.subject);
    link.addEventListener('click', () => {
      openThread = t.id;
      ctx.refresh();
    });
    return link;
  };
  return h(
    'div',
    {},
    pageHeader(
      'Support requests',
      'What account holders wrote to the operator, and the answers. Messages are kept to answer them, then deleted as the policy says.',
      ['COM-1'],
    ),
    dataTable({
      caption: 'Requests, open ones first',
      columns: [
        { label: 'Subject', cell: open },
        { label: 'Organisation', cell: (t) => t.organization },
        {
          label: 'State',
          cell: (t) =>
            t.unread
              ? badge('New message', 'warn')
              : t.status === 'open'
                ? badge('Open', 'info')
                : badge('Closed'),
        },
        { label: 'Last message', cell: (t) => formatDateTime(t.lastMessageAt), nowrap: true },
      ],
      rows: threads,
      empty: 'No account holder has written to support yet.',
    }),
    openThread ? await threadSection(ctx, openThread) : null,
  );
}
