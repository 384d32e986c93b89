import { runInNewContext } from 'node:vm';

// Just enough of a browser to run the built widget.js under Node and watch what it touches: every network API,
// every storage API and every cookie write is a trap that records its use. What the launcher draws is checked in
// Chromium; this proves what it does not do (CK-7).

class StubElement {
  readonly children: StubElement[] = [];
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Array<() => void>>();
  /** `data-*` attributes, as the DOM reflects them (`dataset.position` is `data-position`). */
  readonly dataset: Record<string, string> = new Proxy(
    {},
    {
      set: (_, name, value) => {
        this.attributes.set(
          `data-${String(name).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
          String(value),
        );
        return true;
      },
      get: (_, name) => this.attributes.get(`data-${String(name)}`),
    },
  );
  readonly style: Record<string, string> = {};
  readonly classList = {
    add: (name: string) => {
      this.className = `${this.className} ${name}`.trim();
    },
  };
  parent: StubElement | undefined;
  shadowRoot: StubElement | undefined;
  adoptedStyleSheets: Array<{ css: string }> = [];
  textContent = '';
  src = '';
  type = '';
  className = '';
  async = false;
  onerror: (() => void) | null = null;

  constructor(
    readonly tagName: string,
    private readonly onAppend?: (child: StubElement, parent: StubElement) => void,
  ) {}

  appendChild(child: StubElement): StubElement {
    this.children.push(child);
    child.parent = this;
    this.onAppend?.(child, this);
    return child;
  }
  remove(): void {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = undefined;
  }
  // ARIA reflection: the properties are the attributes.
  set ariaLabel(value: string) {
    this.setAttribute('aria-label', value);
  }
  set ariaExpanded(value: string) {
    this.setAttribute('aria-expanded', value);
  }
  set ariaHasPopup(value: string) {
    this.setAttribute('aria-haspopup', value);
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  attachShadow(): StubElement {
    this.shadowRoot = new StubElement('#shadow-root', this.onAppend);
    return this.shadowRoot;
  }
  /** Runs the element's listeners, as a click (or Enter/Space on a button) would. */
  fire(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }
  /** Every element below this one, shadow roots included. */
  all(): StubElement[] {
    const below = [...this.children, ...(this.shadowRoot ? [this.shadowRoot] : [])];
    return below.flatMap((child) => [child, ...child.all()]);
  }
}

export interface LauncherWorldOptions {
  cookie?: string;
  /** The page's `<html lang>`. */
  lang?: string;
  /** The browser's `navigator.languages`. */
  languages?: string[];
  /** How the page embeds the launcher. */
  src?: string;
  account?: string | undefined;
  /** Calls the page made before widget.js loaded, kept by the README's stub in `Parley.q`. */
  stubQueue?: unknown[][];
}

export function runLauncher(code: string, options: LauncherWorldOptions = {}) {
  const touched: string[] = [];
  const cookieWrites: string[] = [];
  const trap =
    (name: string) =>
    (..._args: unknown[]): never => {
      touched.push(name);
      throw new Error(`${name} is off limits before the visitor acts`);
    };
  class HTMLScriptElement extends StubElement {}
  const onAppend = (child: StubElement, parent: StubElement) => {
    if (['IMG', 'LINK', 'IFRAME'].includes(child.tagName.toUpperCase())) touched.push(`<${child.tagName}>`);
    if (child instanceof HTMLScriptElement && parent.tagName === 'head')
      touched.push(`<script src=${child.src}>`);
  };
  const create = (tag: string) =>
    tag === 'script' ? new HTMLScriptElement(tag, onAppend) : new StubElement(tag, onAppend);
  const head = new StubElement('head', onAppend);
  const body = new StubElement('body', onAppend);
  const script = new HTMLScriptElement('script');
  script.src = options.src ?? 'https://chat.example/widget.js';
  if (options.account !== undefined) script.dataset.account = options.account;
  else if (!('account' in options)) script.dataset.account = 'pk_test_123';
  const storage = (name: string) => ({
    getItem: trap(`${name}.getItem`),
    setItem: trap(`${name}.setItem`),
    removeItem: trap(`${name}.removeItem`),
  });
  const document = {
    get cookie() {
      return options.cookie ?? '';
    },
    set cookie(line: string) {
      cookieWrites.push(line);
    },
    currentScript: script,
    documentElement: { lang: options.lang ?? 'en' },
    head,
    body,
    createElement: create,
    createElementNS: (_ns: string, tag: string) => create(tag),
    querySelector: () => script,
    addEventListener: () => {},
  };
  const world: Record<string, unknown> = {
    document,
    location: { href: 'https://shop.example/tea?utm=1' },
    URL,
    HTMLScriptElement,
    CSSStyleSheet: class {
      css = '';
      replaceSync(css: string): void {
        this.css = css;
      }
    },
    navigator: {
      sendBeacon: trap('navigator.sendBeacon'),
      language: options.languages?.[0] ?? '',
      languages: options.languages ?? [],
    },
    fetch: trap('fetch'),
    WebSocket: trap('WebSocket'),
    EventSource: trap('EventSource'),
    XMLHttpRequest: trap('XMLHttpRequest'),
    Image: trap('Image'),
    console,
  };
  for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'caches'])
    Object.defineProperty(world, name, {
      get: () => {
        touched.push(name);
        return storage(name);
      },
    });
  if (options.stubQueue) world.Parley = Object.assign(() => {}, { q: options.stubQueue });
  world.window = world;
  world.self = world;
  world.globalThis = world;
  runInNewContext(code, world);
  const host = body.children.find((child) => child.tagName === 'parley-widget');
  const launcher = host?.all().find((child) => child.tagName === 'button');
  const label = launcher?.children.find((child) => child.tagName === 'span');
  return { touched, cookieWrites, head, body, host, launcher, label, world };
}
