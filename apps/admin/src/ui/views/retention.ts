import { api, type Outputs } from '../api.ts';
import { confirmAction, dataTable, h, replaceChildren } from '../dom.ts';
import { formatDateTime, formatNumber, humanize, plural } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

type Run = Outputs['retention']['run'];

const runResult = (run: Run): HTMLElement =>
  h(
    'div',
    { class: 'result' },
    h('p', {}, `The sweep at ${formatDateTime(run.ranAt)} removed or cleared ${plural(run.total, 'item')}.`),
    ...run.files.map((f) =>
      h(
        'p',
        {},
        `It also deleted ${plural(f.count, 'file')} from the ${f.store} folder with the rows they copied.`,
      ),
    ),
    dataTable({
      caption: 'Removed per kind of data',
      columns: [
        { label: 'Data', cell: (c) => c.name },
        { label: 'Taxonomy key', cell: (c) => h('code', {}, c.key) },
        { label: 'Items', cell: (c) => formatNumber(c.count), numeric: true },
      ],
      rows: run.byCategory,
      empty: 'Nothing had passed its retention period.',
    }),
    run.byTable.length > 0
      ? dataTable({
          caption: 'Per table',
          columns: [
            { label: 'Table', cell: (t) => h('code', {}, t.table) },
            { label: 'Rows deleted', cell: (t) => formatNumber(t.deleted), numeric: true },
            { label: 'Values cleared', cell: (t) => formatNumber(t.cleared), numeric: true },
          ],
          rows: run.byTable,
          empty: '',
        })
      : null,
  );

export async function retentionView(ctx: ViewContext): Promise<HTMLElement> {
  const [runs, rules] = await Promise.all([
    api.retention.runs.query({ limit: 10 }),
    api.retention.rules.query(),
  ]);
  const status = h('div');
  const result = h('div', { 'aria-live': 'polite' });
  const run = h('button', { type: 'button', class: 'button primary' }, 'Run the sweep now');
  run.addEventListener('click', async () => {
    const yes = await confirmAction({
      title: 'Run the retention sweep now?',
      body: 'Everything past its retention period is deleted for good, as it would be at the next scheduled sweep. It cannot be undone.',
      confirm: 'Run the sweep',
      danger: true,
    });
    if (!yes) return;
    let report: Run | undefined;
    const ok = await act(ctx, run, status, async () => {
      report = await api.retention.run.mutate();
      return `Sweep finished: ${plural(report.total, 'item')} removed or cleared.`;
    });
    if (ok && report) replaceChildren(result, runResult(report));
  });

  return h(
    'div',
    {},
    pageHeader(
      'Retention',
      'Every kind of data has a retention period in the policy; the sweep deletes what has passed it. The chat server runs it on a timer; staff can run it now.',
      ['RET-3'],
    ),
    section('Run now', h('div', { class: 'actions' }, run), status, result),
    section(
      'Latest sweeps',
      dataTable({
        caption: 'The last ten sweeps, from the audit log',
        columns: [
          { label: 'When', cell: (r) => formatDateTime(r.at), nowrap: true },
          { label: 'Items removed or cleared', cell: (r) => formatNumber(r.total), numeric: true },
          {
            label: 'Kinds of data',
            cell: (r) => r.byCategory.map((c) => `${c.key} (${formatNumber(c.count)})`).join(', ') || '—',
          },
        ],
        rows: runs,
        empty: 'No sweep has run yet.',
      }),
    ),
    section(
      'Retention periods',
      h(
        'details',
        {},
        h('summary', {}, `The ${plural(rules.length, 'rule')} the sweep enforces`),
        dataTable({
          caption: 'Retention periods in the policy in force',
          columns: [
            { label: 'Data', cell: (r) => r.categoryName },
            { label: 'About', cell: (r) => humanize(r.subject) },
            { label: 'Where', cell: (r) => (r.store ? humanize(r.store) : 'Wherever kept') },
            { label: 'Kept for', cell: (r) => r.keptFor },
            { label: 'Why', cell: (r) => r.why },
          ],
          rows: rules,
          empty: '',
        }),
      ),
    ),
  );
}
