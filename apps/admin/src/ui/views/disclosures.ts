import { api, type Outputs } from '../api.ts';
import { badge, confirmAction, dataTable, field, h, type Tone } from '../dom.ts';
import { formatDateTime } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

type Disclosure = Outputs['disclosures']['list'][number];
type Decision = 'approve' | 'refuse' | 'disclose';

const STATUS: Record<Disclosure['status'], [string, Tone]> = {
  received: ['Awaiting decision', 'warn'],
  approved: ['Approved', 'info'],
  refused: ['Refused', 'neutral'],
  disclosed: ['Disclosed', 'good'],
};

const statusBadge = (d: Disclosure) => badge(...STATUS[d.status]);

const DECISION_TEXT: Record<Decision, { label: string; title: string; body: string; done: string }> = {
  approve: {
    label: 'Approve',
    title: 'Approve this request?',
    body: 'You will be recorded as the person who approved it. Approve only when the legal ground has been checked.',
    done: 'The request is approved, with you as approver.',
  },
  refuse: {
    label: 'Refuse',
    title: 'Refuse this request?',
    body: 'You will be recorded as the person who refused it. A refused request cannot be reopened.',
    done: 'The request is refused.',
  },
  disclose: {
    label: 'Record disclosure',
    title: 'Record that the data was disclosed?',
    body: 'Do this once the approved data has actually been handed over. The register keeps the date.',
    done: 'The disclosure is recorded.',
  },
};

export async function disclosuresView(ctx: ViewContext): Promise<HTMLElement> {
  const [rows, options, accounts] = await Promise.all([
    api.disclosures.list.query(),
    api.disclosures.options.query(),
    api.accounts.list.query(),
  ]);
  const tableStatus = h('div');

  const decide = (d: Disclosure, decision: Decision) => {
    const text = DECISION_TEXT[decision];
    const button = h(
      'button',
      { type: 'button', class: `button small ${decision === 'refuse' ? 'secondary' : 'primary'}` },
      text.label,
    );
    button.setAttribute('aria-label', `${text.label}: request from ${d.requester}`);
    button.addEventListener('click', async () => {
      if (
        !(await confirmAction({
          title: text.title,
          body: text.body,
          confirm: text.label,
          danger: decision === 'refuse',
        }))
      )
        return;
      const ok = await act(ctx, button, tableStatus, async () => {
        await api.disclosures.decide.mutate({ id: d.id, decision });
        return text.done;
      });
      if (ok) ctx.refresh();
    });
    return button;
  };

  const actions = (d: Disclosure) =>
    d.status === 'received'
      ? h('div', { class: 'row-actions' }, decide(d, 'approve'), decide(d, 'refuse'))
      : d.status === 'approved'
        ? decide(d, 'disclose')
        : '—';

  // The form to record a new request.
  const requester = h('input', { name: 'requester', required: true, maxlength: 200, autocomplete: 'off' });
  const ground = h(
    'select',
    { name: 'ground', required: true },
    options.grounds.map((g) => h('option', { value: g.id }, g.name)),
  );
  ground.value = 'law';
  const reference = h('input', { name: 'reference', required: true, maxlength: 500, autocomplete: 'off' });
  const account = h(
    'select',
    { name: 'account' },
    h('option', { value: '' }, 'Not about one account'),
    accounts.map((a) => h('option', { value: a.id }, `${a.organization} (${a.region})`)),
  );
  const boxes = options.categories.map((c) => {
    const box = h('input', { type: 'checkbox', name: 'categories', value: c.key });
    return h(
      'label',
      { class: 'check' },
      box,
      h('span', {}, c.name, h('span', { class: 'hint' }, ` — ${c.description}`)),
    );
  });
  const formStatus = h('div');
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Record request');
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field('Who is asking', requester, 'The authority or person, e.g. “Berlin Public Prosecutor”.'),
    field(
      'Ground',
      ground,
      'Why the data may be given: a court order or statute, consent, or a threat to security or safety.',
    ),
    field('Legal reference', reference, 'The order, case or letter number that the request cites.'),
    field('Account concerned (optional)', account),
    h('fieldset', { class: 'checks' }, h('legend', {}, 'Kinds of data asked for'), boxes),
    h('div', { class: 'actions' }, submit),
    formStatus,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const categories = [...form.querySelectorAll<HTMLInputElement>('input[name="categories"]:checked')].map(
      (b) => b.value,
    );
    const ok = await act(ctx, submit, formStatus, async () => {
      await api.disclosures.record.mutate({
        requester: requester.value,
        ground: ground.value as NonNullable<Disclosure['ground']>,
        reference: reference.value,
        categories,
        ...(account.value ? { accountId: account.value } : {}),
      });
      return 'The request is recorded. Nothing is disclosed until it is approved.';
    });
    if (ok) ctx.refresh();
  });

  return h(
    'div',
    {},
    pageHeader(
      'Disclosures',
      'Requests for personal data from authorities or others, outside the processors the policy names. Each is recorded on arrival, decided by a named staff member, and its disclosure dated.',
      ['SHR-1'],
    ),
    section(
      'Register',
      tableStatus,
      dataTable({
        caption: 'Disclosure register, newest first',
        columns: [
          { label: 'Received', cell: (d) => formatDateTime(d.receivedAt) },
          { label: 'Requester', cell: (d) => d.requester },
          {
            label: 'Ground and reference',
            cell: (d) => [
              d.groundName ? h('span', { class: 'strong' }, d.groundName) : null,
              h('span', { class: 'block' }, d.reference),
            ],
          },
          { label: 'Data', cell: (d) => d.categories.map((c) => c.name).join(', ') },
          { label: 'Account', cell: (d) => d.organization ?? (d.accountId ? d.accountId : '—') },
          {
            label: 'Status',
            cell: (d) => [
              statusBadge(d),
              d.decidedBy
                ? h(
                    'span',
                    { class: 'block hint' },
                    `${d.status === 'refused' ? 'Refused' : 'Approved'} by ${d.decidedByName ?? d.decidedBy}, ${formatDateTime(d.decidedAt)}`,
                  )
                : null,
              d.disclosedAt !== null
                ? h('span', { class: 'block hint' }, `Disclosed ${formatDateTime(d.disclosedAt)}`)
                : null,
            ],
          },
          { label: 'Actions', cell: actions },
        ],
        rows,
        empty: 'No requests for data have been recorded.',
        rowClass: (d) => (d.status === 'received' ? 'row-attention' : undefined),
      }),
    ),
    section('Record a request', form),
  );
}
