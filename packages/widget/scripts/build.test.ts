import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { widgetCookieDeclarations } from '@parley/cookies';
import type { LauncherSettings } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../src/all-languages.ts';
import { LANGUAGES } from '../src/language-choice.ts';
import { launcherScriptFor, SETTINGS_MARKER } from '../src/website-script.ts';
import { runLauncher } from '../test/launcher-world.ts';
import { buildWidget, sizeReport, type WidgetBuild } from './build.ts';

// Builds all bundles into a temporary folder and checks what they may and may not contain. Sizes are printed,
// not asserted: they are benchmark targets.

let outdir: string;
let built: WidgetBuild;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'parley-widget-'));
  built = await buildWidget(outdir);
  console.log(sizeReport(built));
}, 60_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

const NETWORK_OR_STORAGE = [
  'WebSocket',
  'fetch(',
  'XMLHttpRequest',
  'EventSource',
  'sendBeacon',
  'localStorage',
  'sessionStorage',
  'indexedDB',
];
/** `x.cookie=` but not `x.cookie==`: an assignment, after minification. */
const COOKIE_WRITE = /\.cookie\s*=(?!=)/;

const allBundles = () => [built.launcher, ...Object.values(built.chats)];

describe('widget build', () => {
  it('writes dist/widget.js, dist/chat.js (English) and dist/chat.<lang>.js as self-contained IIFE scripts', () => {
    expect(readdirSync(outdir).sort()).toEqual(
      [
        'chat.js',
        'widget.js',
        ...LANGUAGES.filter((lang) => lang !== 'en').map((lang) => `chat.${lang}.js`),
      ].sort(),
    );
    expect(built.chat).toBe(built.chats.en);
    for (const bundle of allBundles()) {
      expect(readFileSync(join(outdir, bundle.file), 'utf8')).toBe(bundle.code);
      expect(bundle.code).toMatch(/^"use strict";\(\(\)=>\{/);
      expect(bundle.code).not.toMatch(/\bimport\s*\(|\bexport\s*\{|\brequire\(/);
    }
  });

  it.each(NETWORK_OR_STORAGE)('CK-7: the launcher bundle does not contain %s', (word) => {
    expect(built.launcher.code).not.toContain(word);
  });

  it('CK-7: the launcher bundle never writes document.cookie, and carries no cookie-writing code', () => {
    expect(built.launcher.code).not.toMatch(COOKIE_WRITE);
    expect(built.launcher.inputs.filter((input) => input.includes('cookies/src'))).toEqual([]);
  });

  it('renders messages as text: no chat bundle ever assigns HTML', () => {
    for (const chat of Object.values(built.chats))
      for (const sink of ['.innerHTML', '.outerHTML', 'insertAdjacentHTML', 'document.write', 'DOMParser'])
        expect(chat.code, chat.file).not.toContain(sink);
  });

  it('holds the website settings marker exactly once, in the launcher only', () => {
    expect(built.launcher.code.split(SETTINGS_MARKER)).toHaveLength(2);
    for (const chat of Object.values(built.chats)) expect(chat.code).not.toContain(SETTINGS_MARKER);
  });

  it.each(LANGUAGES)('the chat in %s carries its own language and no other', (lang) => {
    const code = built.chats[lang].code;
    expect(code).toContain(STRINGS[lang].preChatIntro);
    for (const other of LANGUAGES.filter((each) => each !== lang))
      expect(code, other).not.toContain(STRINGS[other].preChatIntro);
    expect(built.chats[lang].inputs).not.toContain('src/all-languages.ts');
  });

  it('CK-7: chat.js uses no browser storage and writes cookies only through @parley/cookies', () => {
    for (const word of ['localStorage', 'sessionStorage', 'indexedDB'])
      expect(built.chat.code).not.toContain(word);
    const widgetSources = built.chat.inputs.filter((input) => input.startsWith('src/'));
    for (const input of widgetSources)
      expect(readFileSync(new URL(`../${input}`, import.meta.url), 'utf8'), input).not.toMatch(COOKIE_WRITE);
    expect(built.chat.inputs).toContain('../cookies/src/browser.ts');
  });

  it('bundles neither zod nor the policy model nor the protocol schemas', () => {
    // The protocol's zod-free modules (close codes, linkify) may come along; its index, the schemas, may not.
    for (const bundle of allBundles())
      expect(
        bundle.inputs.filter((input) => /zod|\/policy\/|\/protocol\/src\/index\.ts$/.test(input)),
        bundle.file,
      ).toEqual([]);
  });

  it('CK-6: chat.js carries the widget cookie declarations of the policy in force', () => {
    for (const cookie of widgetCookieDeclarations()) {
      expect(built.chat.code).toContain(cookie.name);
      expect(built.chat.code).toContain(cookie.lifetime);
    }
    expect(built.chat.code).not.toContain('parley_session');
  });

  it('prints raw and gzip sizes', () => {
    expect(sizeReport(built)).toMatch(/widget\.js .* raw .* gzip[\s\S]*chat\.pl\.js .* raw .* gzip/);
  });
});

describe('the built launcher, run in a stub browser', () => {
  it('CK-7: draws its button without any request, storage or cookie write', () => {
    const run = runLauncher(built.launcher.code);
    expect(run.touched).toEqual([]);
    expect(run.cookieWrites).toEqual([]);
    expect(run.head.children).toEqual([]);
    expect(run.launcher?.attributes.get('aria-label')).toBe('Open chat');
    expect(run.launcher?.attributes.get('aria-expanded')).toBe('false');
  });

  it('speaks the browser’s language first, then the page’s', () => {
    const label = (options: Parameters<typeof runLauncher>[1]) =>
      runLauncher(built.launcher.code, options).launcher?.attributes.get('aria-label');
    expect(label({ lang: 'de-DE' })).toBe('Chat öffnen');
    expect(label({ lang: 'en', languages: ['pl-PL', 'en'] })).toBe('Otwórz czat');
    expect(label({ lang: 'de', languages: ['ja', 'fr-CA'] })).toBe('Ouvrir le chat');
    expect(label({ lang: 'ja', languages: ['ja'] })).toBe('Open chat');
  });

  it('CK-7: the first click loads the chat in the visitor’s language from the launcher origin, once, and hands over', () => {
    const run = runLauncher(built.launcher.code, {
      src: 'https://chat.example:8443/widget.js?v=3',
      languages: ['nl-BE'],
    });
    run.launcher?.fire('click');
    run.launcher?.fire('click');
    expect(run.touched).toEqual(['<script src=https://chat.example:8443/widget/chat.nl.js>']);
    expect(run.cookieWrites).toEqual([]);
    expect(run.world.__parleyWidget).toMatchObject({
      origin: 'https://chat.example:8443',
      account: 'pk_test_123',
      lang: 'nl',
    });
  });

  it('lets the visitor try again when chat.js fails to load', () => {
    const run = runLauncher(built.launcher.code);
    run.launcher?.fire('click');
    run.head.children[0]?.onerror?.();
    expect(run.head.children).toEqual([]);
    run.launcher?.fire('click');
    expect(run.head.children).toHaveLength(1);
  });

  it('CK-4: with the opt-out cookie it shows nothing at all', () => {
    const run = runLauncher(built.launcher.code, { cookie: 'theme=dark; parley_opt_out=1' });
    expect(run.body.children).toEqual([]);
    expect(run.touched).toEqual([]);
    expect(run.world.__parleyWidget).toBeUndefined();
  });

  it('does nothing without data-account', () => {
    const run = runLauncher(built.launcher.code, { account: undefined });
    expect(run.body.children).toEqual([]);
  });
});

const FULL: LauncherSettings = {
  key: 'pk_site_42',
  color: '#ffd400',
  position: 'left',
  label: 'Questions? Ask us',
  languages: ['de', 'pl', 'en'],
  // As the server writes it in: the text colour readable on yellow.
  onColor: '#111111',
};

describe('a website’s own launcher (settings baked in), run in a stub browser', () => {
  const baked = (settings: LauncherSettings = FULL) => launcherScriptFor(built.launcher.code, settings);

  it('CK-7: applies colour, position and label without any request, and names the website by its key', () => {
    const run = runLauncher(baked(), {
      account: undefined,
      src: 'https://chat.example/w/pk_site_42/widget.js',
    });
    expect(run.touched).toEqual([]);
    expect(run.cookieWrites).toEqual([]);
    expect(run.host?.attributes.get('data-position')).toBe('left');
    const css = run.host?.shadowRoot?.adoptedStyleSheets.map((sheet) => sheet.css).join('\n') ?? '';
    // A yellow needs dark text to be read.
    expect(css).toContain('--pw-brand:#ffd400;--pw-on-brand:#111111');
    expect(run.label?.textContent).toBe('Questions? Ask us');
    expect(run.launcher?.className).toContain('pill');
    expect(run.world.__parleyWidget).toMatchObject({ account: 'pk_site_42', color: ['#ffd400', '#111111'] });
  });

  it('names the button by the website’s label, then “Open chat” in the visitor’s language (WCAG 2.5.3)', () => {
    const run = runLauncher(baked(), { account: undefined, languages: ['pl'] });
    expect(run.launcher?.attributes.get('aria-label')).toBe('Questions? Ask us – Otwórz czat');
  });

  it('speaks only a language the website offers: its first when the browser wants another', () => {
    const run = runLauncher(baked(), { account: undefined, languages: ['fr-FR'], lang: 'fr' });
    expect(run.launcher?.attributes.get('aria-label')).toBe('Questions? Ask us – Chat öffnen');
    run.launcher?.fire('click');
    expect(run.touched).toEqual(['<script src=https://chat.example/widget/chat.de.js>']);
  });

  it('without a label or colour draws today’s round button', () => {
    const run = runLauncher(baked({ ...FULL, label: null, color: 'not a colour', position: 'right' }), {
      account: undefined,
    });
    // The label's place is empty, and the button is not a pill.
    expect(run.label?.textContent).toBe('');
    expect(run.launcher?.className).toBe('launcher');
    expect(run.host?.attributes.get('data-position')).toBe('right');
    expect(run.host?.shadowRoot?.adoptedStyleSheets.map((sheet) => sheet.css).join('')).not.toContain(
      '--pw-brand:',
    );
  });
});

describe('the page’s Parley API in the launcher, run in a stub browser', () => {
  it('CK-7: identify, navigate and on before the visitor acts send and store nothing; they wait for chat.js', () => {
    const run = runLauncher(built.launcher.code);
    const api = run.world.Parley as (...command: unknown[]) => void;
    api('identify', { name: 'Ada', email: 'ada@example.com' });
    api('navigate', '/pricing');
    api('on', 'message', () => {});
    expect(run.touched).toEqual([]);
    expect(run.cookieWrites).toEqual([]);
    const queue = (run.world.__parleyWidget as { queue: unknown[][] }).queue.map((command) => [...command]);
    expect(queue.map((command) => command[0])).toEqual(['identify', 'navigate', 'on']);
  });

  it('takes over the calls the README’s stub kept, in order, and open loads the chat', () => {
    const run = runLauncher(built.launcher.code, {
      stubQueue: [['hide'], ['identify', { name: 'Ada' }], ['open']],
    });
    expect(run.host?.style.display).toBe('none');
    expect(run.touched).toEqual(['<script src=https://chat.example/widget/chat.js>']);
    const api = run.world.Parley as (...command: unknown[]) => void;
    api('show');
    expect(run.host?.style.display).toBe('');
  });

  it('drops a close that comes before anything was opened, but keeps one that follows an opening', () => {
    const run = runLauncher(built.launcher.code);
    const api = run.world.Parley as (...command: unknown[]) => void;
    const queued = () =>
      (run.world.__parleyWidget as { queue: unknown[][] }).queue.map((command) => command[0]);
    api('close');
    expect(queued()).toEqual([]);
    api('open');
    api('close');
    expect(queued()).toEqual(['open', 'close']);
  });

  it('exists, and does nothing, for a visitor who turned chat off (CK-4)', () => {
    const run = runLauncher(built.launcher.code, { cookie: 'parley_opt_out=1' });
    const api = run.world.Parley as (...command: unknown[]) => void;
    expect(() => api('open')).not.toThrow();
    expect(run.touched).toEqual([]);
    expect(run.body.children).toEqual([]);
  });
});
