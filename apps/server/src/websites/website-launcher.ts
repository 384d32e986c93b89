import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  getWebsiteByPublicKey,
  LAUNCHER_LABEL_MAX,
  PROACTIVE_TEXT_MAX,
  pathsPattern,
  type Website,
} from '@parley/db';
import { DASHBOARD_LANGUAGES, type DashboardLanguage } from '@parley/db/chat';
import { type LauncherSettings, WIDGET_LANGUAGES, type WidgetLanguage } from '@parley/protocol';
import { launcherScriptFor, readableOn, SETTINGS_MARKER, websiteLauncherPath } from '@parley/widget';
import { Hono } from 'hono';
import type { AppEnv, Services } from '../services.ts';
import { sendGenerated } from '../static/static-files.ts';

// Each website's own launcher, `/w/KEY/widget.js`: the launcher bundle with the website's settings written in, so
// the launcher draws itself in the website's colour, position and language without a request of its own (CK-7).
// `/w/KEY/preview` is a page of this server that embeds it, for the dashboard's live preview of draft settings.

/** The launcher's settings of a website: what the launcher needs before the visitor acts. */
export const launcherSettingsOf = (website: Website): LauncherSettings => ({
  key: website.publicKey,
  color: website.color,
  position: website.position,
  label: website.launcherLabel,
  languages: website.languages,
  onColor: readableOn(website.color),
  ...(website.proactiveGreeting
    ? {
        greet: {
          path: pathsPattern(website.proactiveGreeting.paths),
          after: website.proactiveGreeting.after,
          text: website.proactiveGreeting.text,
        },
      }
    : {}),
});

/**
 * Launcher settings a preview asks for in its query (`color`, `position`, `label`, `languages`, and `proactive`: a
 * proactive greeting's text, shown after a second on the preview page whatever its paths), over the stored ones. A value that is not valid is left out, so the preview shows what would be stored.
 */
export function draftLauncherSettings(stored: LauncherSettings, query: URLSearchParams): LauncherSettings {
  const settings = { ...stored };
  const color = query.get('color')?.toLowerCase();
  if (color && /^#[0-9a-f]{6}$/.test(color)) {
    settings.color = color;
    settings.onColor = readableOn(color);
  }
  const position = query.get('position');
  if (position === 'left' || position === 'right') settings.position = position;
  const label = query.get('label');
  if (label !== null && label.trim().length <= LAUNCHER_LABEL_MAX) settings.label = label.trim() || null;
  const languages = query
    .get('languages')
    ?.split(',')
    .filter((language): language is WidgetLanguage =>
      (WIDGET_LANGUAGES as readonly string[]).includes(language),
    );
  if (languages && languages.length > 0) settings.languages = [...new Set(languages)];
  const proactive = query.get('proactive')?.trim();
  if (proactive !== undefined) {
    if (proactive && proactive.length <= PROACTIVE_TEXT_MAX)
      settings.greet = { path: '', after: 1, text: proactive };
    else delete settings.greet;
  }
  return settings;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** The preview page's own words, in each language the dashboard speaks; the widget on it speaks the visitor's. */
const PREVIEW_TEXT: Record<DashboardLanguage, { title: string; note: string }> = {
  en: {
    title: 'Widget preview',
    note: 'A page of your website, with the widget as visitors will see it.',
  },
  de: {
    title: 'Vorschau des Widgets',
    note: 'Eine Seite Ihrer Website, mit dem Widget so, wie Besucher es sehen werden.',
  },
};

const isDashboardLanguage = (value: string | null): value is DashboardLanguage =>
  (DASHBOARD_LANGUAGES as readonly (string | null)[]).includes(value);

/**
 * The dashboard's preview: a plain page with the website's launcher, drawn with the draft settings in its query,
 * its own words in the dashboard's language (`lang`, English if missing or unknown).
 */
export function previewPage(key: string, query: URLSearchParams): string {
  const requested = query.get('lang');
  const language: DashboardLanguage = isDashboardLanguage(requested) ? requested : 'en';
  const text = PREVIEW_TEXT[language];
  const draft = new URLSearchParams();
  for (const name of ['color', 'position', 'label', 'languages', 'proactive']) {
    const value = query.get(name);
    if (value !== null) draft.set(name, value);
  }
  const search = draft.size > 0 ? `?${draft.toString()}` : '';
  const src = `${websiteLauncherPath(key)}${search}`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title}</title>
<link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
<main>
<p class="note">${text.note}</p>
</main>
<script src="${escapeHtml(src)}" async></script>
</body>
</html>
`;
}

const UNKNOWN = '/* Parley: no website has this key. Copy the snippet again from the dashboard. */\n';
const NOT_BUILT = '/* Parley: the widget is not built on this server. */\n';
const NO_MARKER =
  "/* Parley: the built widget cannot carry a website's settings; build it again (pnpm exec turbo run build). */\n";

export function websiteLauncherRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  let cached: { path: string; mtimeMs: number; text: string } | null = null;
  /** The launcher bundle, read again only when its file changed. */
  const bundle = async (): Promise<string | null> => {
    if (!s.assets.widget) return null;
    const path = join(s.assets.widget, 'widget.js');
    try {
      const info = await stat(path);
      if (cached?.path !== path || cached.mtimeMs !== info.mtimeMs)
        cached = { path, mtimeMs: info.mtimeMs, text: await readFile(path, 'utf8') };
      return cached.text;
    } catch {
      return null;
    }
  };
  const javascript = 'text/javascript; charset=utf-8';

  routes.get('/w/:key/widget.js', async (c) => {
    const website = await getWebsiteByPublicKey(s.db, c.req.param('key'));
    if (!website)
      return sendGenerated(c, UNKNOWN, { contentType: javascript, cache: 'revalidate', status: 404 });
    const text = await bundle();
    if (text === null)
      return sendGenerated(c, NOT_BUILT, { contentType: javascript, cache: 'revalidate', status: 404 });
    if (!text.includes(SETTINGS_MARKER))
      return sendGenerated(c, NO_MARKER, { contentType: javascript, cache: 'revalidate', status: 404 });
    const query = new URL(c.req.url).searchParams;
    const stored = launcherSettingsOf(website);
    // A preview's draft settings are for that one page: never kept by a cache for the website's visitors.
    const draft = query.size > 0;
    return sendGenerated(c, launcherScriptFor(text, draft ? draftLauncherSettings(stored, query) : stored), {
      contentType: javascript,
      cache: draft ? 'revalidate' : 'short',
      status: 200,
    });
  });

  routes.get('/w/:key/preview', async (c) => {
    const website = await getWebsiteByPublicKey(s.db, c.req.param('key'));
    c.header('Cache-Control', 'no-cache');
    if (!website)
      return c.html('<!doctype html><title>Not found</title><p>No website has this key.</p>', 404);
    return c.html(previewPage(website.publicKey, new URL(c.req.url).searchParams));
  });
  return routes;
}
