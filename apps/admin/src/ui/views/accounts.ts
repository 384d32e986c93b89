import { api } from '../api.ts';
import { badge, dataTable, h } from '../dom.ts';
import { formatDate, formatNumber } from '../format.ts';
import { pageHeader, type ViewContext } from '../view.ts';

export async function accountsView(_ctx: ViewContext): Promise<HTMLElement> {
  const accounts = await api.accounts.list.query();
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
  );
}
