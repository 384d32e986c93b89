import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cookieTable,
  cookieTableCsv,
  dataMap,
  diffPolicies,
  escapeHtml,
  latestVersion,
  PROMISE_IDS,
  policyJson,
} from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { versionPairs } from '../src/compare.ts';
import { regionName } from '../src/format.ts';
import { compareHref, routes, versionHref } from '../src/routes.ts';
import {
  pagePaths as allPagePaths,
  builtFiles,
  clientDir,
  clientFile,
  content,
  model,
  render,
  readPage as renderPage,
} from './site-dist.ts';

const versions = model.versions.map((v) => v.version);
const pagePaths = allPagePaths(model);
/** Every page, rendered once for Parley's own policy; the 404 page as an address that has none. */
const NOT_FOUND = '/no-such-page';
const rendered = new Map(
  await Promise.all(
    [...pagePaths, NOT_FOUND].map(async (path) => [path, await (await render(path)).text()] as const),
  ),
);
const readPage = (path: string): string => rendered.get(path)!;
const html = (text: string) => escapeHtml(text);

describe('the built site', () => {
  it('has every page, including a comparison for every ordered pair of versions', async () => {
    for (const path of pagePaths) expect((await render(path)).status, path).toBe(200);
    expect(versionPairs(model)).toHaveLength(versions.length * (versions.length - 1));
  });

  it.each([
    NOT_FOUND,
    versionHref('9.9.9'),
    compareHref(versions[0]!, '9.9.9'),
    compareHref(versions[0]!, versions[0]!),
  ])('answers %s with the 404 page', async (path) => {
    const response = await render(path);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('There is no page here');
  });

  it('CHG-1: /privacy says when it was last updated, from the latest version', () => {
    const latest = latestVersion(model);
    const page = readPage(routes.privacy);
    expect(page).toMatch(new RegExp(`Last updated <time datetime="${latest.date}">`));
    expect(page).toContain(`Version ${latest.version}`);
  });

  it.each(PROMISE_IDS)('gives promise %s an anchor on /privacy', (id) => {
    const page = readPage(routes.privacy);
    expect(page).toContain(`id="${id}"`);
    expect(page).toContain(`href="#${id}"`);
  });

  it('names every cookie on /cookies and /privacy, and every widget cookie on /widget-cookies', () => {
    const cookies = readPage(routes.cookies);
    const privacy = readPage(routes.privacy);
    const forCustomers = readPage(routes.widgetCookies);
    for (const cookie of content.cookies) {
      expect(cookies).toContain(`id="${cookie.name}"`);
      expect(cookies).toContain(html(cookie.purpose));
      expect(cookies).toContain(html(cookie.holds));
      expect(privacy).toContain(cookie.name);
      if (cookie.setBy === 'widget') {
        expect(forCustomers).toContain(cookie.name);
        expect(forCustomers).toContain(html(cookie.purpose));
      }
    }
  });

  it('COL-4: lists every region on /regions and /privacy, and names the installation region', () => {
    const regions = readPage(routes.regions);
    const privacy = readPage(routes.privacy);
    for (const code of content.regions.available) {
      expect(regions).toContain(`<code>${code}</code>`);
      expect(regions).toContain(html(regionName(code)));
      expect(privacy).toContain(`<th scope="row">${code}</th>`);
    }
    expect(regions).toContain(
      `stores its data in <strong>${html(regionName(content.regions.installation))}</strong>`,
    );
  });

  it('SHR-1: names every processor on /regions, /privacy and the data map', () => {
    const regions = readPage(routes.regions);
    const privacy = readPage(routes.privacy);
    const map = readPage(routes.dataMap);
    for (const processor of content.processors) {
      expect(regions).toContain(html(processor.name));
      expect(regions).toContain(html(processor.purpose));
      expect(privacy).toContain(html(processor.name));
      if (content.activities.some((a) => a.processors.includes(processor.id)))
        expect(map).toContain(html(processor.name));
    }
  });

  it('shows every use of data on the data map, with its legal basis and retention', () => {
    const map = readPage(routes.dataMap);
    for (const entry of dataMap(content)) {
      expect(map).toContain(`id="${entry.activity}"`);
      expect(map).toContain(html(entry.name));
      for (const category of entry.categories)
        for (const rule of category.retention) expect(map).toContain(html(rule.text.toLowerCase()));
    }
  });

  it('CHG-1: lists every version and links every ordered pair for comparison', () => {
    const page = readPage(routes.versions);
    for (const v of model.versions) {
      expect(page).toContain(`href="${versionHref(v.version)}"`);
      expect(page).toContain(html(v.summary));
    }
    for (const { from, to } of versionPairs(model)) expect(page).toContain(`href="${compareHref(from, to)}"`);
  });

  it.each(versionPairs(model))('shows the structured diff from $from to $to, labelled', ({ from, to }) => {
    const page = readPage(compareHref(from, to));
    const a = model.versions.find((v) => v.version === from)!;
    const b = model.versions.find((v) => v.version === to)!;
    const changes = diffPolicies(a.content, b.content);
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) expect(page).toContain(html(change.description));
    const significant = changes.filter((c) => c.significance === 'significant').length;
    expect(page).toContain(`${significant} significant`);
    expect(page).toContain(`${changes.length - significant}`);
    // Both texts are there: the promise statements of each version.
    for (const p of [...a.content.promises, ...b.content.promises]) expect(page).toContain(html(p.statement));
  });

  it('CK-6: serves the cookie declarations as JSON and CSV, exactly as the policy exports them', async () => {
    const json = await renderPage(routes.cookiesJson);
    expect(JSON.parse(json)).toEqual(cookieTable(content));
    expect(await renderPage(routes.cookiesCsv)).toBe(cookieTableCsv(content));
    expect(await renderPage(routes.policyJson)).toBe(policyJson(model));
    expect(JSON.parse(await renderPage(routes.dataMapJson))).toEqual(dataMap(content));
  });
});

describe.each([...rendered.keys()])('%s', (path) => {
  const page = readPage(path);

  it('ships no JavaScript', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\son[a-z]+\s*=/i);
    expect(page).not.toMatch(/javascript:/i);
  });

  it('needs no inline style, so a strict content security policy (style-src self) allows it', () => {
    expect(page).not.toMatch(/<style|\sstyle="/i);
  });

  it('loads nothing from another origin; only plain links may point elsewhere', () => {
    const tags = page.matchAll(/<([a-z][a-z0-9-]*)\b([^>]*)>/gi);
    for (const [, tag, attributes] of tags) {
      for (const [, name, value] of attributes!.matchAll(
        /\s(src|href|srcset|action|formaction|poster|data)="([^"]*)"/gi,
      )) {
        const external = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(value!.trim());
        if (external) expect(`${tag} ${name}`, value).toBe('a href');
      }
    }
    expect(page).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//i);
  });

  it('has landmarks, a skip link, one h1 and headings that do not skip a level', () => {
    for (const landmark of ['<header', '<nav', '<main id="main"', '<footer'])
      expect(page).toContain(landmark);
    expect(page).toContain('href="#main"');
    const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level, `h${levels[i - 1]} then h${level}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
    });
  });

  it('gives every table a caption and scoped header cells', () => {
    for (const [table] of page.matchAll(/<table\b[\s\S]*?<\/table>/g)) {
      expect(table).toMatch(/<table[^>]*>\s*<caption>/);
      expect(table).not.toMatch(/<th(?![^>]*\sscope="(?:col|row)")[\s>]/);
    }
  });

  it('uses each id once, and every link inside the site leads to a page and anchor that exist', async () => {
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBe(new Set(ids).size);
    for (const [, href] of page.matchAll(/\shref="([^"]+)"/g)) {
      if (!href!.startsWith('/') && !href!.startsWith('#')) continue;
      const [target, fragment] = href!.split('#');
      if (target && clientFile(target)) continue;
      const text = target ? (rendered.get(target) ?? (await renderPage(target))) : page;
      if (fragment) expect(text, href).toContain(`id="${fragment}"`);
    }
  });
});

describe('the stylesheet', () => {
  const sheets = builtFiles().filter((file) => file.endsWith('.css'));

  it('is one file that loads nothing from elsewhere', () => {
    expect(sheets).toHaveLength(1);
    const css = readFileSync(join(clientDir, sheets[0]!), 'utf8');
    expect(css).not.toMatch(/@import|@font-face|url\(\s*['"]?(?:https?:)?\/\//i);
    expect(css).toMatch(/prefers-color-scheme:\s*dark/);
  });
});
