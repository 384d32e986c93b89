import { api, type Outputs } from '../api.ts';
import { badge, dataTable, field, h, replaceChildren } from '../dom.ts';
import { formatNumber, isoDay } from '../format.ts';
import { act, pageHeader, type ViewContext } from '../view.ts';

type Statistic = Outputs['statistics']['installation']['statistics'][number];

const NAMES: Record<string, { label: string; unit: string }> = {
  chats_per_day: { label: 'Chats per day', unit: '' },
  first_response_seconds: { label: 'Average first response', unit: ' s' },
  average_rating: { label: 'Average rating', unit: ' of 5' },
};

export async function statisticsView(ctx: ViewContext): Promise<HTMLElement> {
  const today = new Date();
  const monthAgo = new Date();
  monthAgo.setDate(monthAgo.getDate() - 30);
  const from = h('input', { type: 'date', name: 'from', required: true, value: isoDay(monthAgo) });
  const to = h('input', { type: 'date', name: 'to', required: true, value: isoDay(today) });
  const out = h('div', { 'aria-live': 'polite' });
  const show = h('button', { type: 'submit', class: 'button secondary' }, 'Show');
  const form = h(
    'form',
    { class: 'form inline' },
    field('First day', from),
    field('Last day', to),
    h('div', { class: 'actions' }, show),
  );

  const load = () =>
    act(ctx, show, out, async () => {
      const r = await api.statistics.installation.query({ from: from.value, to: to.value });
      replaceChildren(
        out,
        h(
          'p',
          {},
          `Figures over fewer than ${formatNumber(r.minimumGroupSize)} people are withheld, so that none can point to a person.`,
        ),
        dataTable<Statistic>({
          caption: `Installation-wide, ${r.from} to ${r.to}`,
          columns: [
            { label: 'Figure', cell: (s) => NAMES[s.name]?.label ?? s.name },
            {
              label: 'Value',
              cell: (s) =>
                s.suppressed
                  ? badge('Withheld', 'neutral')
                  : `${formatNumber(s.value)}${NAMES[s.name]?.unit ?? ''}`,
              numeric: true,
            },
            {
              label: 'Status',
              cell: (s) =>
                s.suppressed
                  ? `Fewer than ${formatNumber(r.minimumGroupSize)} people`
                  : `Over ${formatNumber(s.people)} people`,
            },
          ],
          rows: r.statistics,
          empty: 'No figures.',
        }),
      );
      return null;
    });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  await load();
  return h(
    'div',
    {},
    pageHeader(
      'Statistics',
      'Aggregate figures about chats across the installation. They never identify a person.',
      ['LOG-3', 'SHR-3'],
    ),
    form,
    out,
  );
}
