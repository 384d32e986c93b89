/**
 * The one way the dashboard builds DOM. Strings always become text nodes, so data from visitors, agents or the
 * server can never be parsed as HTML; there is deliberately no way to set `innerHTML` or a `style` attribute
 * (the page runs under `style-src 'self'`).
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Handlers = { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void };
type AttrValue = string | number | boolean | null | undefined;

/** Attributes by name (`class`, `for`, `aria-*`, `data-*`, ...), `value`/`checked` as properties, `on` for listeners. */
export interface Attrs {
  [name: string]: AttrValue | Handlers;
  on?: Handlers;
}

const PROPERTIES = new Set(['value', 'checked']);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (name === 'on') {
        for (const [event, listener] of Object.entries(value as Handlers)) {
          element.addEventListener(event, listener as EventListener);
        }
        continue;
      }
      if (name === 'style' || name.startsWith('on'))
        throw new Error(`h(): "${name}" is not allowed under the CSP`);
      if (value === null || value === undefined || value === false) continue;
      if (PROPERTIES.has(name)) {
        (element as unknown as Record<string, unknown>)[name] = value;
      } else {
        element.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's content; strings become text. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let nextId = 0;
/** A document-unique id for `for`/`aria-describedby` pairs. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled form field: label, control and an optional one-line hint tied to the control. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
): HTMLDivElement {
  const id = control.id || uid('field');
  control.id = id;
  const hintElement = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintElement);
}

/**
 * The address a new password belongs to, as a hidden username field: password managers then store the password
 * under the right account.
 */
export const hiddenUsername = (email: string): HTMLInputElement =>
  h('input', { type: 'email', autocomplete: 'username', value: email, hidden: true, readonly: true });

/** A checkbox with its label after it, and an optional hint. */
export function checkbox(label: string, input: HTMLInputElement, hint?: string): HTMLDivElement {
  input.type = 'checkbox';
  const id = input.id || uid('check');
  input.id = id;
  const hintElement = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintElement) input.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field field-check' }, input, h('label', { for: id }, label), hintElement);
}

/** A status line for a form or section: `role=status` for progress and success, `role=alert` for errors. */
export interface Feedback {
  element: HTMLParagraphElement;
  info(text: string): void;
  success(text: string): void;
  error(text: string): void;
  clear(): void;
}

export function feedback(): Feedback {
  const element = h('p', { class: 'feedback', role: 'status', hidden: true });
  const show = (kind: 'info' | 'success' | 'error', text: string) => {
    element.className = `feedback feedback-${kind}`;
    element.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    element.textContent = text;
    element.hidden = false;
  };
  return {
    element,
    info: (text) => show('info', text),
    success: (text) => show('success', text),
    error: (text) => show('error', text),
    clear() {
      element.hidden = true;
      element.textContent = '';
    },
  };
}

/** Disables a form's controls while `work` runs, so a double click cannot submit twice. */
export async function busy<T>(form: HTMLFormElement | HTMLElement, work: () => Promise<T>): Promise<T> {
  const controls = [
    ...form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input, select, textarea'),
  ];
  const before = controls.map((control) => control.disabled);
  form.setAttribute('aria-busy', 'true');
  for (const control of controls) control.disabled = true;
  try {
    return await work();
  } finally {
    form.removeAttribute('aria-busy');
    controls.forEach((control, index) => {
      control.disabled = before[index] ?? false;
    });
  }
}

/** A mounted piece of UI: its root element and how to release its listeners and subscriptions. */
export interface View {
  element: HTMLElement;
  destroy(): void;
}
