import { api, type Outputs } from '../api.ts';
import { dataTable, field, h, replaceChildren } from '../dom.ts';
import { describeDetail, formatDateTime, humanize } from '../format.ts';
import { act, pageHeader, type ViewContext } from '../view.ts';

type Entry = Outputs['audit']['list']['entries'][number];

const PAGE = 50;

export async function auditView(ctx: ViewContext): Promise<HTMLElement> {
  const entries: Entry[] = [];
  let before: number | null = null;
  const filter = h('input', {
    name: 'action',
    placeholder: 'e.g. disclosure. or staff.signed_in',
    autocomplete: 'off',
    spellcheck: false,
  });
  const apply = h('button', { type: 'submit', class: 'button secondary' }, 'Filter');
  const more = h('button', { type: 'button', class: 'button secondary' }, 'Show older entries');
  const out = h('div');
  const status = h('div');

  const render = () =>
    replaceChildren(
      out,
      dataTable<Entry>({
        caption: `Audit log, newest first (${entries.length} shown)`,
        columns: [
          { label: 'When', cell: (e) => formatDateTime(e.createdAt), nowrap: true },
          {
            label: 'Who',
            cell: (e) =>
              e.actorKind === 'staff'
                ? (e.actorName ?? e.actorId ?? 'Staff')
                : [humanize(e.actorKind), e.actorId ? h('span', { class: 'block hint' }, e.actorId) : null],
          },
          { label: 'Action', cell: (e) => h('code', {}, e.action) },
          { label: 'Account', cell: (e) => e.accountId ?? '—' },
          { label: 'Detail', cell: (e) => describeDetail(e.detail) || '—' },
        ],
        rows: entries,
        empty: 'No entries match.',
      }),
      before !== null ? h('div', { class: 'actions' }, more) : null,
    );

  const load = async (button: HTMLButtonElement, reset: boolean) =>
    act(ctx, button, status, async () => {
      if (reset) {
        entries.length = 0;
        before = null;
      }
      const action = filter.value.trim();
      const page = await api.audit.list.query({
        limit: PAGE,
        ...(before !== null ? { before } : {}),
        ...(action ? { action } : {}),
      });
      entries.push(...page.entries);
      before = page.nextBefore;
      render();
      return null;
    });

  const form = h(
    'form',
    { class: 'form inline' },
    field('Action', filter, 'One action, or a family ending in a dot.'),
    h('div', { class: 'actions' }, apply),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(apply, true);
  });
  more.addEventListener('click', () => void load(more, false));
  await load(apply, true);
  return h(
    'div',
    {},
    pageHeader('Audit log', 'Who did what, and when. Entries hold ids and counts, never personal data.', [
      'SEC-1',
    ]),
    form,
    status,
    out,
  );
}
