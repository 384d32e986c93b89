import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SiteRenderer } from '@parley/site/server';
import { LAUNCHER_SCRIPT_PATH } from '@parley/widget';
import { type Context, Hono } from 'hono';
import type { AppEnv, Services } from '../services.ts';
import { importModule } from './import-module.ts';
import { type RenderedPage, readRendered, sendRendered, serveFile } from './static-files.ts';

// The built front ends: the widget (loaded by customers' pages), the agent dashboard at /app, and the public site
// for everything else. Each comes from its own package's build; a missing build answers 503 and says which.

const notBuilt = (what: string, command: string) =>
  new Response(`The ${what} has not been built. Run: ${command}\n`, {
    status: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });

const notFound = () =>
  new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

export function widgetRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const root = s.assets.widget;
  routes.get(LAUNCHER_SCRIPT_PATH, async (c) => {
    if (!root) return notBuilt('widget', 'pnpm --filter @parley/widget build');
    return (await serveFile(c, root, ['widget.js'], 'short')) ?? notFound();
  });
  routes.get('/widget/*', async (c) => {
    if (!root) return notBuilt('widget', 'pnpm --filter @parley/widget build');
    const file = c.req.path.slice('/widget/'.length);
    return (file && (await serveFile(c, root, [file], 'short'))) || notFound();
  });
  return routes;
}

export function dashboardRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const root = s.assets.dashboard;
  const index = async (c: Context<AppEnv>) => {
    if (!root) return notBuilt('dashboard', 'pnpm --filter @parley/dashboard build');
    return (await serveFile(c, root, ['index.html'], 'revalidate')) ?? notFound();
  };
  // The dashboard routes with the URL fragment (/app/#/invite/…), so /app and /app/ are its only page.
  routes.get('/app', index);
  routes.get('/app/', index);
  routes.get('/app/*', async (c) => {
    if (!root) return notBuilt('dashboard', 'pnpm --filter @parley/dashboard build');
    return (await serveFile(c, root, [c.req.path.slice('/app/'.length)], 'revalidate')) ?? notFound();
  });
  return routes;
}

/**
 * The public site: its stylesheet and icon are files, its pages and downloads are rendered from this installation's
 * policy (`s.policy`, every version with the date it comes into force here). One build thus serves any installation,
 * and a page can never describe another installation's processors, cookies, region or operator, nor a version of
 * the policy that is not yet in force here as if it were. A page depends only on its address and on which version
 * is in force, so each is rendered once per version in force; only pages that exist are kept, a bounded set.
 */
export function siteRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const root = s.assets.site;
  let renderer: Promise<SiteRenderer> | undefined;
  const site = (folder: string) => {
    renderer ??= importModule(
      pathToFileURL(join(folder, 'server', 'entry.mjs')).href,
    ) as Promise<SiteRenderer>;
    return renderer;
  };
  const rendered = new Map<string, { inForce: string; page: RenderedPage }>();
  // Browsers ask every origin for /favicon.ico, whatever page they are on (/demo and /app link no icon of their
  // own): they get the site's icon rather than a 404.
  routes.get('/favicon.ico', async (c) => {
    if (!root) return notBuilt('public site', 'pnpm --filter @parley/site build');
    return (await serveFile(c, join(root, 'client'), ['favicon.svg'], 'revalidate')) ?? notFound();
  });
  routes.get('*', async (c) => {
    if (!root) return notBuilt('public site', 'pnpm --filter @parley/site build');
    const path = c.req.path;
    const cache = path.startsWith('/_astro/') ? 'immutable' : 'revalidate';
    const file = await serveFile(c, join(root, 'client'), [path], cache);
    if (file) return file;
    const inForce = s.policyVersion.version;
    const kept = rendered.get(path);
    if (kept?.inForce === inForce) return sendRendered(c, kept.page);
    const response = await (await site(root)).render(c.req.raw, { policy: s.policy });
    const page = await readRendered(response);
    if (!page) return response;
    if (page.status === 200) rendered.set(path, { inForce, page });
    return sendRendered(c, page);
  });
  routes.all('*', () => notFound());
  return routes;
}
