// Every piece of data reaches the page as text: through `append` of strings or `textContent`, never as markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);
export type Attrs = Record<string, AttrValue>;

function appendChildren(parent: Element | DocumentFragment, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) appendChildren(parent, child);
    else parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Builds an element. `on…` attributes taking functions become listeners; `true` sets an empty attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  appendChildren(element, children);
  return element;
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  appendChildren(parent, children);
}

let nextId = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${++nextId}`;

export interface Column<Row> {
  label: string;
  cell: (row: Row) => Child;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** Dates and short codes that read badly when broken across lines. */
  nowrap?: boolean;
}

const cellClass = (column: { numeric?: boolean; nowrap?: boolean }): string | undefined =>
  [column.numeric ? 'num' : '', column.nowrap ? 'nowrap' : ''].join(' ').trim() || undefined;

/**
 * A captioned table; the first column heads each row. Wrapped in a focusable region so that a wide table can be
 * scrolled with the keyboard.
 */
export function dataTable<Row>(options: {
  caption: string;
  columns: Array<Column<Row>>;
  rows: readonly Row[];
  empty: string;
  rowClass?: (row: Row) => string | undefined;
}): HTMLElement {
  const captionId = uniqueId('caption');
  if (options.rows.length === 0) return h('p', { class: 'empty' }, options.empty);
  const table = h(
    'table',
    {},
    h('caption', { id: captionId }, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        options.columns.map((c) => h('th', { scope: 'col', class: cellClass(c) }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      options.rows.map((row) =>
        h(
          'tr',
          { class: options.rowClass?.(row) },
          options.columns.map((c, i) =>
            i === 0
              ? h('th', { scope: 'row', class: cellClass(c) }, c.cell(row))
              : h('td', { class: cellClass(c) }, c.cell(row)),
          ),
        ),
      ),
    ),
  );
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 }, table);
}

/** A labelled form control, with an optional hint read out with it. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLElement {
  control.id ||= uniqueId('field');
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
  );
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export const badge = (text: string, tone: Tone = 'neutral'): HTMLElement =>
  h('span', { class: `badge badge-${tone}` }, text);

/** A message in the page: `alert` for failures (read out at once), `status` for outcomes. */
export const notice = (tone: 'info' | 'good' | 'warn' | 'bad', ...children: Child[]): HTMLElement =>
  h('div', { class: `notice notice-${tone}`, role: tone === 'bad' ? 'alert' : 'status' }, ...children);

/** Disables a button while its action runs, so that nothing is sent twice. */
export async function whileBusy<T>(button: HTMLButtonElement, action: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Asks before an action that sends mail or deletes data. Resolves true only on an explicit yes. */
export function confirmAction(options: {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
}): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uniqueId('dialog-title');
  const bodyId = uniqueId('dialog-body');
  return new Promise((resolve) => {
    const cancel = h(
      'button',
      { type: 'button', class: 'button secondary', onclick: () => dialog.close('no') },
      'Cancel',
    );
    const yes = h(
      'button',
      {
        type: 'button',
        class: `button ${options.danger ? 'danger' : 'primary'}`,
        onclick: () => dialog.close('yes'),
      },
      options.confirm,
    );
    const dialog = h(
      'dialog',
      { 'aria-labelledby': titleId, 'aria-describedby': bodyId },
      h('h2', { id: titleId }, options.title),
      h('p', { id: bodyId }, options.body),
      h('div', { class: 'actions' }, cancel, yes),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
