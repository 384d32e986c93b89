import type { Language } from '@parley/policy';

/**
 * Every address the site links to. Pages are built as `<path>/index.html`; addresses that end in a version number
 * keep a trailing slash, because static servers read a final `.0` as a file extension and would not look for
 * `index.html` inside the folder.
 */
export const routes = {
  home: '/',
  features: '/features',
  privacy: '/privacy',
  versions: '/privacy/versions',
  cookies: '/cookies',
  regions: '/regions',
  dataMap: '/data-map',
  widgetCookies: '/widget-cookies',
  policyJson: '/policy.json',
  cookiesJson: '/cookies.json',
  cookiesCsv: '/cookies.csv',
  dataMapJson: '/data-map.json',
  signup: '/signup',
} as const;

export const promiseHref = (id: string): string => `${routes.privacy}#${id}`;
export const versionHref = (version: string): string => `${routes.versions}/${version}/`;
export const compareHref = (from: string, to: string): string => `${routes.privacy}/compare/${from}/${to}/`;

/**
 * Every page is in each language at its own address: English at its path, German under `/de`. The language is in
 * the address, not in a cookie or a script, so a link, a bookmark and a search engine each get the language they
 * asked for, and the site still sets no cookie. The downloads too: `/de/cookies.json` has the same keys and
 * columns as `/cookies.json`, which other tools read, and German values.
 */
const PREFIXES: Record<Language, string> = { en: '', de: '/de' };

export const GERMAN_PREFIX = PREFIXES.de;

/** `path` (an English page address, with any `#anchor`) as the page in `language`. */
export function inLanguage(path: string, language: Language): string {
  return `${PREFIXES[language]}${path}`;
}

/** The language an address is in, and the English page address it is the translation of. */
export function languageOfPath(path: string): { language: Language; path: string } {
  if (path === GERMAN_PREFIX || path.startsWith(`${GERMAN_PREFIX}/`))
    return { language: 'de', path: path.slice(GERMAN_PREFIX.length) || '/' };
  return { language: 'en', path };
}

/** The site's links for pages in `language`. */
export function linksIn(language: Language) {
  const localized = Object.fromEntries(
    Object.entries(routes).map(([name, path]) => [name, inLanguage(path, language)]),
  ) as { [K in keyof typeof routes]: string };
  return {
    routes: localized,
    promiseHref: (id: string) => inLanguage(promiseHref(id), language),
    versionHref: (version: string) => inLanguage(versionHref(version), language),
    compareHref: (from: string, to: string) => inLanguage(compareHref(from, to), language),
  };
}
export type SiteLinks = ReturnType<typeof linksIn>;
