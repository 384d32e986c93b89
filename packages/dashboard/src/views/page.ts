import { type Child, h } from '../dom.ts';

/** The frame shared by the owner's pages: a heading the router focuses, an intro line, then sections. */
export function page(title: string, intro: string | null, ...children: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'page' },
    h('h1', { class: 'page-title', tabindex: '-1' }, title),
    intro ? h('p', { class: 'page-intro' }, intro) : null,
    children,
  );
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', null, title), children);
}

/** A column heading; `hidden` keeps it for screen readers only, for a column whose buttons say what they do. */
export type ColumnHeader = string | { text: string; hidden: true };

/**
 * A table whose caption names it for screen readers; it scrolls sideways on a phone instead of overflowing. Every
 * column has a heading, so a screen reader can say which column a cell is in.
 */
export function table(
  caption: string,
  headers: readonly ColumnHeader[],
  rows: readonly HTMLTableRowElement[],
): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((header) =>
            typeof header === 'string'
              ? h('th', { scope: 'col' }, header)
              : h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, header.text)),
          ),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}
