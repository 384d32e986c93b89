/**
 * A small stand-in for the browser's document, enough for the dashboard's views to build their DOM in a unit test
 * and for the test to read what they show. Selectors are single compound ones (`a.item`, `[name="x"]`, `h1`), or a
 * comma list of them; layout, styles and focus order are the real browser's business (see the browser tests).
 */

type Listener = (event: FakeEvent) => void;

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly type: string) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeNode {
  parentNode: FakeElement | null = null;
  get textContent(): string {
    return '';
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super();
  }
  override get textContent(): string {
    return this.data;
  }
}

const PROPERTY_ATTRIBUTES = ['id', 'hidden', 'disabled', 'required', 'readonly'] as const;

export class FakeElement extends FakeNode {
  readonly childNodes: FakeNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly dataset: Record<string, string> = {};
  readonly #listeners = new Map<string, Set<Listener>>();
  value = '';
  checked = false;
  open = false;
  tabIndex = -1;

  constructor(readonly tagName: string) {
    super();
  }

  get children(): FakeElement[] {
    return this.childNodes.filter((node): node is FakeElement => node instanceof FakeElement);
  }
  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  set id(value: string) {
    this.setAttribute('id', value);
  }
  get lang(): string {
    return this.getAttribute('lang') ?? '';
  }
  set lang(value: string) {
    this.setAttribute('lang', value);
  }
  get className(): string {
    return this.getAttribute('class') ?? '';
  }
  set className(value: string) {
    this.setAttribute('class', value);
  }
  get hidden(): boolean {
    return this.attributes.has('hidden');
  }
  set hidden(value: boolean) {
    this.#flag('hidden', value);
  }
  get disabled(): boolean {
    return this.attributes.has('disabled');
  }
  set disabled(value: boolean) {
    this.#flag('disabled', value);
  }
  #flag(name: (typeof PROPERTY_ATTRIBUTES)[number], on: boolean): void {
    if (on) this.attributes.set(name, '');
    else this.attributes.delete(name);
  }

  override get textContent(): string {
    return this.childNodes.map((node) => node.textContent).join('');
  }
  override set textContent(text: string) {
    this.replaceChildren();
    if (text !== '') this.appendChild(new FakeText(text));
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
    if (name.startsWith('data-'))
      this.dataset[name.slice(5).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }

  appendChild<T extends FakeNode>(node: T): T {
    node.parentNode?.removeChild(node);
    node.parentNode = this;
    this.childNodes.push(node);
    return node;
  }
  removeChild<T extends FakeNode>(node: T): T {
    const at = this.childNodes.indexOf(node);
    if (at >= 0) this.childNodes.splice(at, 1);
    node.parentNode = null;
    return node;
  }
  append(...nodes: Array<FakeNode | string>): void {
    for (const node of nodes) this.appendChild(typeof node === 'string' ? new FakeText(node) : node);
  }
  prepend(...nodes: Array<FakeNode | string>): void {
    const after = this.childNodes.splice(0);
    this.append(...nodes, ...after);
  }
  replaceChildren(...nodes: Array<FakeNode | string>): void {
    for (const node of this.childNodes.splice(0)) node.parentNode = null;
    this.append(...nodes);
  }
  contains(node: FakeNode | null): boolean {
    for (let at = node; at; at = at.parentNode) if (at === this) return true;
    return false;
  }

  addEventListener(type: string, listener: Listener): void {
    const listeners = this.#listeners.get(type) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(type, listeners);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }
  dispatchEvent(event: FakeEvent): boolean {
    for (const listener of this.#listeners.get(event.type) ?? []) listener(event);
    return !event.defaultPrevented;
  }
  focus(): void {
    fakeDocument.activeElement = this;
  }
  select(): void {}

  matches(selectors: string): boolean {
    return selectors.split(',').some((selector) => matchesCompound(this, selector.trim()));
  }
  closest(selectors: string): FakeElement | null {
    for (let at: FakeElement | null = this; at; at = at.parentNode) if (at.matches(selectors)) return at;
    return null;
  }
  querySelectorAll(selectors: string): FakeElement[] {
    const found: FakeElement[] = [];
    const visit = (element: FakeElement) => {
      for (const child of element.children) {
        if (child.matches(selectors)) found.push(child);
        visit(child);
      }
    };
    visit(this);
    return found;
  }
  querySelector(selectors: string): FakeElement | null {
    return this.querySelectorAll(selectors)[0] ?? null;
  }
}

function matchesCompound(element: FakeElement, selector: string): boolean {
  const parts = selector.match(/^([a-z][a-z0-9]*)?((?:\.[\w-]+)*)((?:\[[\w-]+(?:="[^"]*")?\])*)$/i);
  if (!parts) throw new Error(`the fake document does not understand the selector "${selector}"`);
  const [, tag, classes = '', attributes = ''] = parts;
  if (tag && tag.toLowerCase() !== element.tagName) return false;
  const own = new Set(element.className.split(/\s+/));
  for (const name of classes.split('.').filter(Boolean)) if (!own.has(name)) return false;
  for (const [, name = '', value] of attributes.matchAll(/\[([\w-]+)(?:="([^"]*)")?\]/g)) {
    if (!element.hasAttribute(name)) return false;
    if (value !== undefined && element.getAttribute(name) !== value) return false;
  }
  return true;
}

const fakeDocument = {
  documentElement: new FakeElement('html'),
  body: new FakeElement('body'),
  activeElement: null as FakeElement | null,
  title: '',
  createElement: (tag: string) => new FakeElement(tag.toLowerCase()),
  createTextNode: (text: string) => new FakeText(text),
};

const GLOBALS = {
  document: fakeDocument,
  Node: FakeNode,
  Element: FakeElement,
  HTMLElement: FakeElement,
} as const;

/**
 * Puts the fake document and its classes in place of the browser's for the views to use; returns the document and a
 * function that takes them away again.
 */
export function installFakeDocument(): { document: typeof fakeDocument; restore(): void } {
  const scope = globalThis as Record<string, unknown>;
  const before = Object.fromEntries(Object.keys(GLOBALS).map((name) => [name, scope[name]]));
  Object.assign(scope, GLOBALS);
  fakeDocument.activeElement = fakeDocument.body;
  fakeDocument.documentElement.replaceChildren();
  fakeDocument.documentElement.removeAttribute('lang');
  return {
    document: fakeDocument,
    restore() {
      for (const [name, value] of Object.entries(before))
        if (value === undefined) delete scope[name];
        else scope[name] = value;
    },
  };
}
