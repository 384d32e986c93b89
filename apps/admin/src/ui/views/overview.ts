import { api } from '../api.ts';
import { type Child, dataTable, h } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { pageHeader, section, type ViewContext } from '../view.ts';

const tile = (
  label: string,
  value: number,
  detail: Child,
  tone: 'neutral' | 'bad' = 'neutral',
  href?: string,
) =>
  h(
    'li',
    { class: `tile tile-${tone}` },
    h('span', { class: 'tile-label' }, label),
    h('span', { class: 'tile-value' }, formatNumber(value)),
    h('span', { class: 'tile-detail' }, href ? h('a', { href }, detail) : detail),
  );

export async function overviewView(_ctx: ViewContext): Promise<HTMLElement> {
  const o = await api.overview.counts.query();
  const open = o.accountsByRegion.reduce((n, r) => n + r.open, 0);
  const closed = o.accountsByRegion.reduce((n, r) => n + r.closed, 0);
  const conversations = o.conversations.waiting + o.conversations.active + o.conversations.closed;
  return h(
    'div',
    {},
    pageHeader(
      'Overview',
      `This installation keeps its data in ${o.region} under policy version ${o.policyVersion}. Counts only: nothing here identifies anyone.`,
    ),
    h(
      'ul',
      { class: 'tiles', 'aria-label': 'Key figures' },
      tile('Open accounts', open, `${formatNumber(closed)} closed`, 'neutral', '#/accounts'),
      tile('Visitors', o.visitors, 'Across every account'),
      tile(
        'Conversations',
        conversations,
        `${formatNumber(o.conversations.waiting)} waiting, ${formatNumber(o.conversations.active)} active`,
      ),
      tile('Mail waiting', o.pendingMail, 'See notices and mail', 'neutral', '#/notices'),
      tile(
        'Overdue requests',
        o.overdueRequests,
        o.overdueRequests > 0 ? 'Past their deadline: follow up' : 'None past their deadline',
        o.overdueRequests > 0 ? 'bad' : 'neutral',
        '#/requests',
      ),
      tile(
        'Open disclosures',
        o.openDisclosures,
        'Awaiting a decision or disclosure',
        'neutral',
        '#/disclosures',
      ),
    ),
    section(
      'Accounts by region',
      dataTable({
        caption: 'Accounts by the region their data lives in',
        columns: [
          { label: 'Region', cell: (r) => r.region },
          { label: 'Open', cell: (r) => formatNumber(r.open), numeric: true },
          { label: 'Closed', cell: (r) => formatNumber(r.closed), numeric: true },
        ],
        rows: o.accountsByRegion,
        empty: 'No accounts yet.',
      }),
    ),
  );
}
