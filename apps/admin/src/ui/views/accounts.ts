import { mayCall } from '../../permissions.ts';
import { api, type Outputs } from '../api.ts';
import { badge, confirmAction, dataTable, field, h, replaceChildren } from '../dom.ts';
import { formatDate, formatDateTime, formatNumber } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

/** COL-1: makes a single-use sign-up code, shown once, for sign-up by invitation (PARLEY_SIGNUP=invite). */
function invitationSection(ctx: ViewContext): HTMLElement {
  const status = h('div');
  const button = h('button', { type: 'button', class: 'button primary' }, 'Make an invitation code');
  button.addEventListener('click', () =>
    act(ctx, button, status, async () => {
      const made = await api.accounts.createSignupInvitation.mutate();
      return `Invitation code, shown this once: ${made.code} (works once, until ${formatDateTime(made.expiresAt)}).`;
    }),
  );
  return section(
    'Sign-up invitations',
    h(
      'p',
      {},
      'When sign-up is by invitation, a business needs a code to sign up at /signup. Each code works once.',
    ),
    button,
    status,
  );
}

/** Removes the demo account the first start made, as an account is closed. */
function demoSection(ctx: ViewContext, demo: { organization: string }): HTMLElement {
  const status = h('div');
  const button = h('button', { type: 'button', class: 'button danger' }, 'Remove the demo account');
  button.addEventListener('click', async () => {
    const yes = await confirmAction({
      title: 'Remove the demo account?',
      body: `${demo.organization} is closed: nobody can sign in to it, its chats end, and its data is erased when the retention period after closing has passed.`,
      confirm: 'Remove it',
    });
    if (!yes) return;
    const ok = await act(ctx, button, status, async () => {
      await api.accounts.removeDemo.mutate();
      return 'The demo account is removed.';
    });
    if (ok) button.disabled = true;
  });
  return section(
    'Demo account',
    h('p', {}, `The first start made a demo account, ${demo.organization}.`),
    button,
    status,
  );
}

type Account = Outputs['accounts']['search']['accounts'][number];
type Status = 'open' | 'suspended' | 'closed';
interface Search {
  text?: string;
  status?: Status;
  limit: number;
  offset: number;
}

const PAGE = 25;
/** The search survives a refresh after a suspension, so staff stay on the page they were on. */
const state: { text: string; status: Status | undefined; offset: number } = {
  text: '',
  status: undefined,
  offset: 0,
};

function statusBadge(a: Account): HTMLElement {
  if (a.closedAt !== null) return badge(`Closed ${formatDate(a.closedAt)}`);
  if (a.suspendedAt !== null) return badge(`Suspended ${formatDate(a.suspendedAt)}`, 'bad');
  return badge('Open', 'good');
}

function searchForm(ctx: ViewContext): HTMLElement {
  const text = h('input', {
    type: 'search',
    name: 'text',
    value: state.text,
    maxlength: 200,
    autocomplete: 'off',
  });
  const status = h(
    'select',
    { name: 'status' },
    [
      ['', 'Any'],
      ['open', 'Open'],
      ['suspended', 'Suspended'],
      ['closed', 'Closed'],
    ].map(([value, label]) => h('option', { value, selected: (state.status ?? '') === value }, label)),
  );
  const form = h(
    'form',
    { class: 'form inline', role: 'search' },
    field('Organisation or owner email', text),
    field('Status', status),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, 'Search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.text = text.value.trim();
    state.status = (status.value || undefined) as Status | undefined;
    state.offset = 0;
    ctx.refresh();
  });
  return form;
}

/** The form that suspends one account; a reason is required and is shown to staff only. */
function suspendForm(ctx: ViewContext, account: Account): HTMLElement {
  const reason = h('textarea', { name: 'reason', required: true, minlength: 3, maxlength: 500, rows: 3 });
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'button danger' }, 'Suspend account');
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field(
      'Reason',
      reason,
      'Kept with the suspension and shown to staff. Its agents are signed out at once and its widgets show the offline form.',
    ),
    h('div', { class: 'actions' }, submit),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await act(ctx, submit, status, async () => {
      await api.accounts.suspend.mutate({ accountId: account.id, reason: reason.value });
      return `${account.organization} is suspended.`;
    });
    if (ok) ctx.refresh();
  });
  return section(`Suspend ${account.organization}`, form);
}

export async function accountsView(ctx: ViewContext): Promise<HTMLElement> {
  const search: Search = { limit: PAGE, offset: state.offset };
  if (state.text) search.text = state.text;
  if (state.status) search.status = state.status;
  const [{ accounts, more }, demo] = await Promise.all([
    api.accounts.search.query(search),
    api.accounts.demo.query(),
  ]);
  const maySuspend = mayCall(ctx.me.staff.role, 'accounts.suspend');
  const panel = h('div');
  const rowStatus = h('div');

  const reinstate = async (account: Account, button: HTMLButtonElement) => {
    const yes = await confirmAction({
      title: `Reinstate ${account.organization}?`,
      body: 'Its agents can sign in again and its widgets offer chat once one of them is online.',
      confirm: 'Reinstate',
    });
    if (!yes) return;
    const ok = await act(ctx, button, rowStatus, async () => {
      await api.accounts.reinstate.mutate({ accountId: account.id });
      return `${account.organization} is reinstated.`;
    });
    if (ok) ctx.refresh();
  };

  const action = (a: Account) => {
    if (!maySuspend || a.closedAt !== null) return null;
    if (a.suspendedAt !== null) {
      const button = h(
        'button',
        { type: 'button', class: 'button secondary small' },
        `Reinstate ${a.organization}`,
      );
      button.addEventListener('click', () => void reinstate(a, button));
      return button;
    }
    const button = h(
      'button',
      { type: 'button', class: 'button secondary small' },
      `Suspend ${a.organization}…`,
    );
    button.addEventListener('click', () => {
      replaceChildren(panel, suspendForm(ctx, a));
      panel.querySelector('textarea')?.focus();
    });
    return button;
  };

  const pager = (label: string, offset: number, enabled: boolean) => {
    const button = h(
      'button',
      { type: 'button', class: 'button secondary small', disabled: !enabled },
      label,
    );
    button.addEventListener('click', () => {
      state.offset = offset;
      ctx.refresh();
    });
    return button;
  };

  return h(
    'div',
    {},
    pageHeader(
      'Accounts',
      'The businesses using this installation and where their data lives. Search matches the organisation or the owner’s email, which is not shown. Chats are not shown here.',
      ['COL-4'],
    ),
    searchForm(ctx),
    rowStatus,
    dataTable({
      caption: `Accounts ${formatNumber(state.offset + 1)}–${formatNumber(state.offset + accounts.length)}`,
      columns: [
        { label: 'Organisation', cell: (a) => a.organization },
        { label: 'Region', cell: (a) => a.region },
        { label: 'Created', cell: (a) => formatDate(a.createdAt), nowrap: true },
        { label: 'Status', cell: statusBadge },
        { label: 'Reason for suspension', cell: (a) => a.suspensionReason ?? '' },
        { label: 'Agents', cell: (a) => formatNumber(a.agents), numeric: true },
        ...(maySuspend ? [{ label: 'Action', cell: action }] : []),
      ],
      rows: accounts,
      empty: state.offset > 0 ? 'No more accounts.' : 'No account matches.',
    }),
    h(
      'div',
      { class: 'actions pager' },
      pager('Previous page', Math.max(0, state.offset - PAGE), state.offset > 0),
      pager('Next page', state.offset + PAGE, more),
    ),
    panel,
    invitationSection(ctx),
    demo ? demoSection(ctx, demo) : null,
  );
}
