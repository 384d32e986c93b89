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

/**
 * A form of one field that does one thing to one account, in a section of its own: what it did is said below it,
 * or why it could not. `done` runs once it worked.
 */
function accountActionForm(
  ctx: ViewContext,
  parts: {
    title: string;
    label: string;
    control: HTMLInputElement | HTMLTextAreaElement;
    help: string;
    submitLabel: string;
    action: (value: string) => Promise<string>;
    done: () => void;
  },
): HTMLElement {
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'button danger' }, parts.submitLabel);
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field(parts.label, parts.control, parts.help),
    h('div', { class: 'actions' }, submit),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await act(ctx, submit, status, () => parts.action(parts.control.value))) parts.done();
  });
  return section(parts.title, form);
}

/** The form that suspends one account; a reason is required and is shown to staff only. */
const suspendForm = (ctx: ViewContext, account: Account): HTMLElement =>
  accountActionForm(ctx, {
    title: `Suspend ${account.organization}`,
    label: 'Reason',
    control: h('textarea', { name: 'reason', required: true, minlength: 3, maxlength: 500, rows: 3 }),
    help: 'Kept with the suspension and shown to staff. Its agents are signed out at once and its widgets show the offline form.',
    submitLabel: 'Suspend account',
    action: async (reason) => {
      await api.accounts.suspend.mutate({ accountId: account.id, reason });
      return `${account.organization} is suspended.`;
    },
    done: () => ctx.refresh(),
  });

/**
 * SEC-1: the form that removes an owner's second factor once staff are sure they speak to the owner. The console
 * never shows the owner's address: staff type the one the person gave, and it must match.
 */
function ownerSecondFactorForm(ctx: ViewContext, account: Account): HTMLElement {
  const email = h('input', {
    type: 'email',
    name: 'email',
    required: true,
    maxlength: 254,
    autocomplete: 'off',
  });
  return accountActionForm(ctx, {
    title: `Second factor of ${account.organization}’s owner`,
    label: 'Owner’s sign-in email, as they told it to you',
    control: email,
    help: 'Only for an owner who lost both their phone and their recovery codes, once you are sure it is them. They sign in with their password and set up a new one; a notice goes to this address.',
    submitLabel: 'Remove the owner’s second factor',
    action: async (address) => {
      await api.accounts.resetOwnerSecondFactor.mutate({ accountId: account.id, email: address });
      return `The second factor of ${account.organization}’s owner is removed, and the owner is told.`;
    },
    done: () => {
      email.value = '';
    },
  });
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

  const secondFactorButton = (a: Account) => {
    const button = h(
      'button',
      { type: 'button', class: 'button secondary small' },
      `Owner’s second factor of ${a.organization}…`,
    );
    button.addEventListener('click', () => {
      replaceChildren(panel, ownerSecondFactorForm(ctx, a));
      panel.querySelector('input')?.focus();
    });
    return button;
  };

  const actions = (a: Account) =>
    a.closedAt !== null ? null : h('div', { class: 'row-actions' }, action(a), secondFactorButton(a));

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
        ...(maySuspend ? [{ label: 'Action', cell: actions }] : []),
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
