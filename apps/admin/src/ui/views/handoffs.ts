import { api } from '../api.ts';
import { dataTable, h } from '../dom.ts';
import { formatDateTime } from '../format.ts';
import { pageHeader, type ViewContext } from '../view.ts';

export async function handoffsView(_ctx: ViewContext): Promise<HTMLElement> {
  const rows = await api.handoffs.list.query({ limit: 200 });
  return h(
    'div',
    {},
    pageHeader(
      'Processor hand-offs',
      'Every time data went to a processor: which kinds were sent and which were held back because the policy does not declare them for that processor. Values are never recorded.',
      ['SHR-1'],
    ),
    dataTable({
      caption: 'Hand-offs to processors, newest first (latest 200)',
      columns: [
        { label: 'When', cell: (r) => formatDateTime(r.createdAt), nowrap: true },
        { label: 'Processor', cell: (r) => r.processorName },
        { label: 'Activity', cell: (r) => r.activityName },
        { label: 'Account', cell: (r) => r.accountId ?? '—' },
        { label: 'Sent', cell: (r) => r.sent.map((c) => c.name).join(', ') || 'Nothing' },
        { label: 'Held back', cell: (r) => r.dropped.map((c) => c.name).join(', ') || 'Nothing' },
      ],
      rows,
      empty: 'No data has been handed to a processor yet.',
    }),
  );
}
