import { api, type Outputs } from '../api.ts';
import { dataTable, h } from '../dom.ts';
import { pageHeader, type ViewContext } from '../view.ts';

type Activity = Outputs['policy']['dataMap'][number];

const facts = (a: Activity): HTMLElement =>
  h(
    'dl',
    { class: 'facts' },
    [
      ['Use', h('code', {}, a.use)],
      ['Legal basis', a.legalBasis],
      ['About', a.subjects.join(', ')],
      ['Regions', a.regions.join(', ')],
      ['Processors', a.processors.map((p) => `${p.name} (${p.region})`).join(', ') || 'None'],
    ].map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
  );

export async function dataMapView(_ctx: ViewContext): Promise<HTMLElement> {
  const map = await api.policy.dataMap.query();
  return h(
    'div',
    {},
    pageHeader(
      'Data map',
      'For each processing activity in the policy in force: the data it uses, whom it concerns, its legal basis, how long the data is kept, where it is processed and by which processors.',
      ['RET-1', 'COL-4', 'SHR-1'],
    ),
    map.map((a) => {
      const headingId = `activity-${a.activity}`;
      return h(
        'section',
        { class: 'panel', 'aria-labelledby': headingId },
        h('h2', { id: headingId }, a.name),
        facts(a),
        dataTable({
          caption: `Data used to ${a.name.charAt(0).toLowerCase()}${a.name.slice(1)}`,
          columns: [
            { label: 'Data', cell: (c) => c.name },
            { label: 'Taxonomy key', cell: (c) => h('code', {}, c.key), nowrap: true },
            {
              label: 'Kept for',
              cell: (c) =>
                c.retention.length === 0
                  ? '—'
                  : h(
                      'ul',
                      { class: 'compact' },
                      c.retention.map((r) => h('li', {}, r)),
                    ),
            },
          ],
          rows: a.categories,
          empty: 'No data.',
        }),
      );
    }),
  );
}
