import { api, type Outputs } from '../api.ts';
import { dataTable, h } from '../dom.ts';
import { pageHeader, type ViewContext } from '../view.ts';

type PolicyNode = Outputs['policy']['document']['sections'][number]['children'][number];

function node(n: PolicyNode): HTMLElement {
  switch (n.type) {
    case 'paragraph':
      return h('p', {}, n.text);
    case 'promise':
      return h(
        'article',
        { class: 'promise' },
        h(
          'h3',
          {},
          h('span', { class: 'promise-id' }, n.id),
          ' ',
          n.title,
          n.beyond ? h('span', { class: 'badge badge-info' }, 'Beyond') : null,
        ),
        h('p', {}, n.statement),
      );
    case 'list':
      return h(
        'ul',
        {},
        n.items.map((item) => h('li', {}, item)),
      );
    case 'table':
      return dataTable({
        caption: n.caption,
        columns: n.columns.map((label, i) => ({ label, cell: (row: string[]) => row[i] ?? '' })),
        rows: n.rows,
        empty: 'None.',
      });
  }
}

/** The policy in force, from the same document tree the public site renders, as text. */
export async function policyTextView(_ctx: ViewContext): Promise<HTMLElement> {
  const doc = await api.policy.document.query();
  const toc = h(
    'nav',
    { class: 'toc', 'aria-label': 'Policy sections' },
    h(
      'ol',
      {},
      doc.sections.map((s) =>
        h('li', {}, h('a', { href: `#/policy-text`, 'data-target': `policy-${s.id}` }, s.heading)),
      ),
    ),
  );
  // Hash links drive the console's own routing, so the contents move focus themselves.
  toc.addEventListener('click', (event) => {
    const link = (event.target as Element).closest('a');
    if (!link) return;
    event.preventDefault();
    const target = document.getElementById(link.getAttribute('data-target') ?? '');
    target?.scrollIntoView({ block: 'start' });
    target?.querySelector<HTMLElement>('h2')?.focus();
  });
  return h(
    'div',
    {},
    pageHeader(
      'Policy text',
      `${doc.title}, version ${doc.version}, last updated ${doc.lastUpdated}: what visitors and account holders read.`,
    ),
    toc,
    h(
      'div',
      { class: 'policy' },
      doc.sections.map((s) =>
        h(
          'section',
          { id: `policy-${s.id}`, class: 'panel', 'aria-labelledby': `policy-${s.id}-h` },
          h('h2', { id: `policy-${s.id}-h`, tabindex: -1 }, s.heading),
          s.children.map(node),
        ),
      ),
    ),
  );
}
