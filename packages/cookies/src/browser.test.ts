import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBrowserCookies, decideCookies } from './browser.ts';
import { CookieContradictionError, InvalidCookieValueError, UndeclaredCookieError } from './cookie-errors.ts';
import type { WidgetContext } from './decide-cookies.ts';
import { type CookieName, cookieDeclarations, widgetCookieDeclarations } from './declarations.ts';
import { fakeCookieDocument } from './fake-cookie-document.ts';

const DAY = 86_400;
const declarations = widgetCookieDeclarations();

const setup = (initial?: Record<string, string>, now = Date.UTC(2026, 10, 29)) => {
  const doc = fakeCookieDocument(initial);
  return { doc, cookies: createBrowserCookies(declarations, doc, () => now) };
};

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('createBrowserCookies', () => {
  it('CK-3: writes the chat id with exactly the declared attributes and Max-Age', () => {
    const { doc, cookies } = setup();
    cookies.write('parley_chat_id', 'c-123', 'P30D');
    expect(doc.writes).toEqual([`parley_chat_id=c-123; Max-Age=${30 * DAY}; Path=/; Secure; SameSite=Lax`]);
    expect(cookies.read('parley_chat_id')).toBe('c-123');
  });

  it('SIG-1: a session lifetime writes no Max-Age, so the cookie ends with the browser', () => {
    const { doc, cookies } = setup();
    cookies.write('parley_chat_id', 'c-123', 'session');
    expect(doc.writes).toEqual(['parley_chat_id=c-123; Path=/; Secure; SameSite=Lax']);
  });

  it.each([
    ['2027-03-01', 366 * DAY],
    ['2026-03-01', 365 * DAY],
  ])('CK-4: the opt-out lasts a calendar year from %s', (day, seconds) => {
    const { doc, cookies } = setup({}, Date.parse(`${day}T09:00:00Z`));
    cookies.write('parley_opt_out', '1', 'P1Y');
    expect(doc.writes).toEqual([`parley_opt_out=1; Max-Age=${seconds}; Path=/; Secure; SameSite=Lax`]);
  });

  it('CK-7: an undeclared cookie name throws and writes nothing', () => {
    const { doc, cookies } = setup();
    const error = thrown(() => cookies.write('parley_tracker' as CookieName, 'x', 'session'));
    expect(error).toBeInstanceOf(UndeclaredCookieError);
    expect(thrown(() => cookies.remove('parley_tracker' as CookieName))).toBeInstanceOf(
      UndeclaredCookieError,
    );
    expect(doc.writes).toEqual([]);
  });

  it('CK-7: the widget cannot write a cookie the server sets', () => {
    const { doc, cookies } = setup();
    // The widget is handed only its own declarations...
    expect(thrown(() => cookies.write('parley_session', 'x', 'session'))).toBeInstanceOf(
      UndeclaredCookieError,
    );
    // ...and even if it were handed all of them, a server cookie stays the server's.
    const all = createBrowserCookies(cookieDeclarations(), doc);
    expect(thrown(() => all.write('parley_session', 'x', 'session'))).toMatchObject({
      code: 'cookie_wrong_setter',
    });
    expect(doc.writes).toEqual([]);
  });

  it.each([
    ['parley_chat_id', 'P31D'],
    ['parley_chat_id', 'P1Y'],
    ['parley_opt_out', 'P2Y'],
  ] as const)('a lifetime longer than declared throws: %s for %s', (name, lifetime) => {
    const { doc, cookies } = setup();
    const error = thrown(() => cookies.write(name, 'x', lifetime));
    expect(error).toBeInstanceOf(CookieContradictionError);
    expect(error).toMatchObject({ code: 'cookie_lifetime_too_long' });
    expect(doc.writes).toEqual([]);
  });

  it.each(['', 'a b', 'a;b', 'x; Domain=evil.example', 'a,b'])(
    'a value a cookie cannot hold throws: %j',
    (value) => {
      const { doc, cookies } = setup();
      expect(thrown(() => cookies.write('parley_chat_id', value, 'session'))).toBeInstanceOf(
        InvalidCookieValueError,
      );
      expect(doc.writes).toEqual([]);
    },
  );

  it('removes a present cookie on the declared path with the declared flags', () => {
    const { doc, cookies } = setup({ parley_chat_id: 'c-1', other: 'y' });
    cookies.remove('parley_chat_id');
    expect(doc.writes).toEqual(['parley_chat_id=; Max-Age=0; Path=/; Secure; SameSite=Lax']);
    expect(cookies.read('parley_chat_id')).toBeUndefined();
    expect(doc.jar.get('other')).toBe('y');
  });

  it('CK-7: removing an absent cookie writes nothing', () => {
    const { doc, cookies } = setup();
    cookies.remove('parley_chat_id');
    cookies.remove('parley_opt_out');
    expect(doc.writes).toEqual([]);
  });

  it('reads tolerantly from a messy cookie string', () => {
    const doc = { cookie: 'junk; =; parley_opt_out=1;theirs=2' };
    expect(createBrowserCookies(declarations, doc).read('parley_opt_out')).toBe('1');
    expect(createBrowserCookies(declarations, doc).read('parley_chat_id')).toBeUndefined();
  });
});

describe('decideCookies applied in the browser', () => {
  const apply = (context: WidgetContext, initial: Record<string, string> = {}) => {
    const { doc, cookies } = setup(initial);
    const decision = decideCookies(declarations, context);
    for (const { name } of decision.remove) cookies.remove(name);
    for (const { name, lifetime } of decision.allowed)
      cookies.write(name, name === 'parley_opt_out' ? '1' : 'c-9', lifetime);
    return doc;
  };
  const context: WidgetContext = {
    surface: 'widget',
    visitorHasActed: true,
    optedOut: false,
    gpc: false,
    dnt: false,
  };

  it('CK-7: before the visitor acts, the page sees no cookie write at all', () => {
    expect(apply({ ...context, visitorHasActed: false }).writes).toEqual([]);
  });

  it('CK-4: opting out removes the chat id and leaves only the opt-out cookie', () => {
    const doc = apply({ ...context, optedOut: true }, { parley_chat_id: 'c-1', theirs: 'x' });
    expect([...doc.jar.keys()].filter((name) => name.startsWith('parley_'))).toEqual(['parley_opt_out']);
  });

  it('SIG-1: under GPC the chat id is written without Max-Age', () => {
    expect(apply({ ...context, gpc: true }).writes).toEqual([
      'parley_chat_id=c-9; Path=/; Secure; SameSite=Lax',
    ]);
  });
});

/**
 * The widget bundles browser.ts and everything it reaches. Only `import type` / `export type` lines vanish when
 * compiled (an inline `{ type X }` still leaves the import behind), so every other import must be a local file
 * that passes the same check: a bare specifier would pull zod, the policy model or node:crypto into the widget.
 */
function runtimeImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = readFileSync(new URL(file, import.meta.url), 'utf8');
  const statements = source.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm);
  const bare: string[] = [];
  for (const [, typeOnly, specifier] of statements) {
    if (typeOnly || !specifier) continue;
    if (specifier.startsWith('./')) bare.push(...runtimeImports(specifier, seen));
    else bare.push(`${file} → ${specifier}`);
  }
  return bare;
}

describe('browser bundle', () => {
  it.each(['./browser.ts', './decide-cookies.ts'])(
    '%s reaches no package at run time, only local files',
    (file) => {
      expect(runtimeImports(file)).toEqual([]);
    },
  );

  it('the check notices a runtime import of the policy model or of Node', () => {
    expect(runtimeImports('./declarations.ts')).toEqual(['./declarations.ts → @parley/policy']);
    expect(runtimeImports('./set-cookie.ts')).toContain('./set-cookie.ts → @parley/policy');
    expect(runtimeImports('./session-cookie.ts')).toEqual(['./session-cookie.ts → node:crypto']);
  });
});
