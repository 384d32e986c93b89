import { api, type Outputs } from '../api.ts';
import { badge, confirmAction, dataTable, field, h, type Tone } from '../dom.ts';
import { formatDateTime, formatNumber, humanize, isoDay } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

type Mail = Outputs['notices']['outbox']['latest'][number];

const STATE: Record<Mail['state'], [string, Tone]> = {
  pending: ['Waiting', 'info'],
  sent: ['Sent', 'good'],
  failed: ['Gave up', 'bad'],
};

export async function noticesView(ctx: ViewContext): Promise<HTMLElement> {
  const outbox = await api.notices.outbox.query({ limit: 50 });

  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  const acquirer = h('input', {
    name: 'acquirer',
    required: true,
    maxlength: 200,
    autocomplete: 'organization',
  });
  const date = h('input', { name: 'transferDate', type: 'date', required: true, min: isoDay(tomorrow) });
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Send the notice');
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field('Company taking over', acquirer),
    field('Transfer date', date, 'Must be in the future: people are told before their data moves.'),
    h('div', { class: 'actions' }, submit),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const yes = await confirmAction({
      title: 'Email every account holder?',
      body: `Every open account is told that Parley is transferred to ${acquirer.value || '…'} on ${date.value || '…'}, and that it may close its account before then.`,
      confirm: 'Send to everyone',
    });
    if (!yes) return;
    const ok = await act(ctx, submit, status, async () => {
      const r = await api.notices.merger.mutate({ acquirer: acquirer.value, transferDate: date.value });
      return `The notice is queued for ${formatNumber(r.queued)} account holders.`;
    });
    if (ok) form.reset();
  });

  const delivery =
    outbox.mailDirectory === null
      ? null
      : h(
          'p',
          { class: 'hint' },
          'Without an SMTP server, sent mail is written as .eml files to ',
          h('code', {}, outbox.mailDirectory),
          outbox.mailFiles === null ? ' (not created yet).' : ` (${formatNumber(outbox.mailFiles)} files).`,
        );

  return h(
    'div',
    {},
    pageHeader(
      'Notices and mail',
      'Notices to account holders and the state of the outbox. Message bodies and recipients’ addresses are not shown.',
      ['SHR-2', 'CHG-1'],
    ),
    section(
      'Merger or sale',
      h(
        'p',
        {},
        'If Parley is to be merged or sold, every account holder is told who takes over and when, before their data moves under another policy.',
      ),
      form,
    ),
    section(
      'Outbox',
      h(
        'ul',
        { class: 'tiles small', 'aria-label': 'Outbox counts' },
        h(
          'li',
          { class: 'tile' },
          h('span', { class: 'tile-label' }, 'Waiting'),
          h('span', { class: 'tile-value' }, formatNumber(outbox.counts.pending)),
        ),
        h(
          'li',
          { class: 'tile' },
          h('span', { class: 'tile-label' }, 'Sent'),
          h('span', { class: 'tile-value' }, formatNumber(outbox.counts.sent)),
        ),
        h(
          'li',
          { class: `tile ${outbox.counts.failed > 0 ? 'tile-bad' : ''}` },
          h('span', { class: 'tile-label' }, 'Gave up'),
          h('span', { class: 'tile-value' }, formatNumber(outbox.counts.failed)),
        ),
      ),
      delivery,
      dataTable<Mail>({
        caption: 'Latest 50 messages',
        columns: [
          { label: 'Created', cell: (m) => formatDateTime(m.createdAt), nowrap: true },
          { label: 'Kind', cell: (m) => humanize(m.kind) },
          { label: 'Subject', cell: (m) => m.subject },
          {
            label: 'To',
            cell: (m) => (m.toVisitor ? 'A visitor' : m.accountId ? `Account ${m.accountId}` : '—'),
          },
          { label: 'State', cell: (m) => badge(...STATE[m.state]) },
          { label: 'Attempts', cell: (m) => formatNumber(m.attempts), numeric: true },
          { label: 'Last error', cell: (m) => m.lastError ?? '—' },
        ],
        rows: outbox.latest,
        empty: 'The outbox is empty.',
        rowClass: (m) => (m.state === 'failed' ? 'row-alert' : undefined),
      }),
    ),
  );
}
