import { api, type Outputs } from '../api.ts';
import { badge, dataTable, field, h, replaceChildren } from '../dom.ts';
import { daysBetween, formatDate, humanize, plural } from '../format.ts';
import { pageHeader, type ViewContext } from '../view.ts';

type Request = Outputs['requests']['list'][number];
type State = 'all' | 'open' | 'overdue' | 'completed';

const status = (r: Request, now: number) => {
  if (r.state === 'completed') return badge('Completed', 'good');
  if (r.state === 'overdue')
    return badge(`Overdue by ${plural(Math.max(daysBetween(r.deadlineAt, now), 1), 'day')}`, 'bad');
  return badge(`Due in ${plural(Math.max(daysBetween(now, r.deadlineAt), 0), 'day')}`, 'info');
};

const outcome = (r: Request): string =>
  r.outcome
    ? Object.entries(r.outcome)
        .map(([k, v]) => `${humanize(k)}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join('; ')
    : '—';

export async function requestsView(_ctx: ViewContext): Promise<HTMLElement> {
  const select = h(
    'select',
    { name: 'state' },
    h('option', { value: 'all' }, 'All requests'),
    h('option', { value: 'overdue' }, 'Overdue'),
    h('option', { value: 'open' }, 'Open, within deadline'),
    h('option', { value: 'completed' }, 'Completed'),
  );
  const results = h('div', { 'aria-live': 'polite' });

  const load = async () => {
    const state = select.value as State;
    const rows = await api.requests.list.query({ state });
    const now = Date.now();
    replaceChildren(
      results,
      dataTable({
        caption: `Visitors’ requests: ${plural(rows.length, 'request')}`,
        columns: [
          { label: 'Account', cell: (r) => r.organization ?? r.accountId },
          { label: 'Kind', cell: (r) => humanize(r.kind) },
          { label: 'Received', cell: (r) => formatDate(r.receivedAt), nowrap: true },
          { label: 'Deadline', cell: (r) => formatDate(r.deadlineAt), nowrap: true },
          { label: 'Status', cell: (r) => status(r, now) },
          { label: 'Completed', cell: (r) => formatDate(r.completedAt), nowrap: true },
          { label: 'Outcome', cell: outcome },
        ],
        rows,
        empty: 'No requests match.',
        rowClass: (r) => (r.overdue ? 'row-alert' : undefined),
      }),
    );
  };
  select.addEventListener('change', () => void load());
  await load();
  return h(
    'div',
    {},
    pageHeader(
      'Visitor requests',
      'Visitors ask the account they chatted with to see, export, correct or erase their data; the account answers with Parley’s tools. Here staff watch the deadlines across every account.',
      ['RET-4'],
    ),
    h('div', { class: 'toolbar' }, field('Show', select)),
    results,
  );
}
