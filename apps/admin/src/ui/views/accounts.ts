import { api } from '../api.ts';
import { badge, confirmAction, dataTable, h } from '../dom.ts';
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

export async function accountsView(ctx: ViewContext): Promise<HTMLElement> {
  const [accounts, demo] = await Promise.all([api.accounts.list.query(), api.accounts.demo.query()]);
  return h(
    'div',
    {},
    pageHeader(
      'Accounts',
      'The businesses using this installation and where their data lives. Contact details and chats are not shown here.',
      ['COL-4'],
    ),
    dataTable({
      caption: `Accounts (${formatNumber(accounts.length)})`,
      columns: [
        { label: 'Organisation', cell: (a) => a.organization },
        { label: 'Region', cell: (a) => a.region },
        { label: 'Created', cell: (a) => formatDate(a.createdAt), nowrap: true },
        {
          label: 'Status',
          cell: (a) =>
            a.closedAt === null ? badge('Open', 'good') : badge(`Closed ${formatDate(a.closedAt)}`),
        },
        { label: 'Agents', cell: (a) => formatNumber(a.agents), numeric: true },
      ],
      rows: accounts,
      empty: 'No accounts yet.',
    }),
    invitationSection(ctx),
    demo ? demoSection(ctx, demo) : null,
  );
}
