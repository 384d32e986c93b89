import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { widgetCookieDeclarations } from '@parley/cookies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLauncher } from '../test/launcher-world.ts';
import { buildWidget, sizeReport, type WidgetBuild } from './build.ts';

// Builds both bundles into a temporary folder and checks what they may and may not contain. Sizes are printed,
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

describe('widget build', () => {
  it('writes dist/widget.js and dist/chat.js as self-contained IIFE scripts', () => {
    expect(readdirSync(outdir).sort()).toEqual(['chat.js', 'widget.js']);
    for (const bundle of [built.launcher, built.chat]) {
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

  it('renders messages as text: chat.js never assigns HTML', () => {
    for (const sink of ['.innerHTML', '.outerHTML', 'insertAdjacentHTML', 'document.write', 'DOMParser'])
      expect(built.chat.code).not.toContain(sink);
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
    for (const bundle of [built.launcher, built.chat])
      expect(
        bundle.inputs.filter((input) => /zod|\/policy\/|\/protocol\//.test(input)),
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
    expect(sizeReport(built)).toMatch(/widget\.js .* raw .* gzip[\s\S]*chat\.js .* raw .* gzip/);
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
    expect(run.launcher?.type).toBe('button');
  });

  it('labels the button in German on a German page', () => {
    const run = runLauncher(built.launcher.code, { lang: 'de-DE' });
    expect(run.launcher?.attributes.get('aria-label')).toBe('Chat öffnen');
  });

  it('CK-7: the first click loads chat.js from the launcher origin, once, and hands over', () => {
    const run = runLauncher(built.launcher.code, { src: 'https://chat.example:8443/widget.js?v=3' });
    run.launcher?.fire('click');
    run.launcher?.fire('click');
    expect(run.touched).toEqual(['<script src=https://chat.example:8443/widget/chat.js>']);
    expect(run.cookieWrites).toEqual([]);
    expect(run.world.__parleyWidget).toMatchObject({
      origin: 'https://chat.example:8443',
      account: 'pk_test_123',
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
