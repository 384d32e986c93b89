import {
  cookieTable,
  cookieTableCsv,
  dataMap,
  escapeHtml,
  localizeContent,
  PROMISE_IDS,
  renderPolicy,
  signupTerms,
  versionInForce,
} from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { compareHref, inLanguage, routes, versionHref } from '../src/routes.ts';
import { content, model, pagePaths, render } from './site-dist.ts';

/** Every page in English and the same page in German, each rendered once. */
const english = [...pagePaths(model), routes.signup, '/signup/confirm'];
const pairs = english.map((path) => ({ path, german: inLanguage(path, 'de') }));
const rendered = new Map(
  await Promise.all(
    [...english, ...pairs.map((p) => p.german)].map(async (path) => {
      const response = await render(path);
      return [path, { response, text: await response.text() }] as const;
    }),
  ),
);
const page = (path: string): string => rendered.get(path)!.text;

/** The words a reader sees, one entry per text node: what a page says, without its markup or scripts. */
const visibleTexts = (html: string): string[] =>
  html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '')
    // A one-line code token (a command, cookie attributes) is the same in every language.
    .replace(/<code>[^<\n]*<\/code>/g, '')
    .split(/<[^>]+>/)
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => text !== '');

/**
 * Sentences that read the same in both languages: product names, codes and the words German uses as they are. A
 * text node of several words that a German page shares with its English page is otherwise a text left untranslated.
 */
const SAME_IN_BOTH = new Set(['Cookies · Parley', 'Global Privacy Control', 'Do Not Track']);
const isSentence = (text: string) => /\p{L}{2,}.*\s.*\p{L}{2,}/u.test(text) && !/^[\w.@/:-]+$/.test(text);

describe('every page in German', () => {
  it.each(pairs)('$german exists, in German, with the English page as its alternate', ({ path, german }) => {
    const response = rendered.get(german)!.response;
    expect(response.status, german).toBe(200);
    const html = page(german);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`<link rel="alternate" hreflang="en" href="${path}">`);
    expect(html).toContain(`<link rel="alternate" hreflang="de" href="${german}">`);
    expect(page(path)).toContain('<html lang="en">');
    expect(page(path)).toContain(`<link rel="alternate" hreflang="de" href="${german}">`);
  });

  it.each(pairs)('$german has a language switch to $path, and $path one back', ({ path, german }) => {
    expect(page(german)).toMatch(new RegExp(`<a href="${path}" hreflang="en" lang="en">\\s*English\\s*</a>`));
    expect(page(path)).toMatch(new RegExp(`<a href="${german}" hreflang="de" lang="de">\\s*Deutsch\\s*</a>`));
  });

  it.each(pairs)('$german leaves no sentence of $path in English', ({ path, german }) => {
    const englishTexts = new Set(visibleTexts(page(path)));
    const untranslated = visibleTexts(page(german)).filter(
      (text) => isSentence(text) && englishTexts.has(text) && !SAME_IN_BOTH.has(text),
    );
    expect(untranslated).toEqual([]);
  });

  it.each(pairs)('$german links to German pages and downloads', ({ german }) => {
    for (const [, attributes] of page(german).matchAll(/<a\b([^>]*)>/g)) {
      const href = /\shref="(\/[^"#]*)/.exec(attributes!)?.[1];
      // The switch to English and the dashboard are the exceptions.
      if (!href || attributes!.includes('hreflang="en"') || href === '/app') continue;
      expect(href, `${german} links to ${href}`).toMatch(/^\/de(\/|$)/);
    }
  });

  it.each(PROMISE_IDS)('/de/privacy keeps the anchor of %s, where the widget links to', (id) => {
    const html = page(inLanguage(routes.privacy, 'de'));
    expect(html).toContain(`id="${id}"`);
    expect(html).toContain(`href="#${id}"`);
  });

  it.each(model.versions.map((v) => v.version))(
    'renders version %s in German, with an anchor for each promise it makes',
    (version) => {
      const html = page(inLanguage(versionHref(version), 'de'));
      const promises = model.versions.find((v) => v.version === version)!.content.promises;
      for (const promise of promises) expect(html).toContain(`id="${promise.id}"`);
      expect(html).toContain(`Datenschutzerklärung, Version ${version}`);
    },
  );

  it('compares two versions in German: the list of changes and both texts', () => {
    const [first, last] = [model.versions[0]!.version, model.versions.at(-1)!.version];
    const html = page(inLanguage(compareHref(first, last), 'de'));
    expect(html).toContain(`Version ${first} im Vergleich mit ${last}`);
    expect(html).toContain('Daten können nun auch in CA verarbeitet werden.');
    expect(html).toContain('Beide Texte nebeneinander');
  });

  it('shows the policy text that renderPolicy writes in German, escaped', () => {
    const doc = renderPolicy(model, Date.now(), 'de');
    const html = page(inLanguage(routes.privacy, 'de'));
    for (const section of doc.sections) expect(html).toContain(escapeHtml(section.heading));
    const about = doc.sections[0]!.children[0]!;
    expect(about.type === 'paragraph' && html.includes(escapeHtml(about.text))).toBe(true);
  });

  it('COL-1: the German sign-up page shows the sign-up text in German, as the consent record hashes it', () => {
    const html = page(inLanguage(routes.signup, 'de'));
    for (const paragraph of signupTerms(versionInForce(model), 'de'))
      expect(html).toContain(escapeHtml(paragraph));
    expect(html).not.toContain(escapeHtml(signupTerms(versionInForce(model), 'en')[0]!));
  });

  it('answers a missing German address with the German 404 page, whose switch leads home', async () => {
    const response = await render('/de/no-such-page');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Hier gibt es keine Seite');
    expect(html).toMatch(/<a href="\/" hreflang="en" lang="en">\s*English\s*<\/a>/);
  });

  it('CK-6: offers the downloads in German with the keys and columns of the English ones', async () => {
    const german = localizeContent(content, 'de');
    const json = await (await render('/de/cookies.json')).json();
    expect(json).toEqual(cookieTable(german, 'de'));
    expect(Object.keys(json[0])).toEqual(Object.keys(cookieTable(content)[0]!));
    const csv = await (await render('/de/cookies.csv')).text();
    expect(csv).toBe(cookieTableCsv(german, 'de'));
    expect(csv.split('\r\n')[0]).toBe(cookieTableCsv(content).split('\r\n')[0]);
    expect(await (await render('/de/data-map.json')).json()).toEqual(dataMap(german, 'de'));
    const policy = await (await render('/de/policy.json')).json();
    expect(policy.versions.map((v: { version: string }) => v.version)).toEqual(
      model.versions.map((v) => v.version),
    );
    expect(policy.versions.at(-1).content.promises[0].title).not.toBe(content.promises[0]!.title);
  });

  it('sets no cookie for either language: the language is in the address', () => {
    for (const { response } of rendered.values()) expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('writes dates, regions and legal bases the German way', () => {
    const html = page(inLanguage(routes.dataMap, 'de'));
    expect(html).toContain('Deutschland (DE)');
    expect(html).toContain('Berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO)');
    expect(page(inLanguage(routes.versions, 'de'))).toMatch(
      /\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}/,
    );
  });
});
