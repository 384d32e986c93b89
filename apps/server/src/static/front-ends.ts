import { LAUNCHER_SCRIPT_PATH } from '@parley/widget';
import { type Context, Hono } from 'hono';
import type { AppEnv, Services } from '../services.ts';
import { pageCandidates, serveFile } from './static-files.ts';

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

export function siteRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const root = s.assets.site;
  // Browsers ask every origin for /favicon.ico, whatever page they are on (/demo and /app link no icon of their
  // own): they get the site's icon rather than a 404.
  routes.get('/favicon.ico', async (c) => {
    if (!root) return notBuilt('public site', 'pnpm --filter @parley/site build');
    return (await serveFile(c, root, ['favicon.svg'], 'revalidate')) ?? notFound();
  });
  routes.get('*', async (c) => {
    if (!root) return notBuilt('public site', 'pnpm --filter @parley/site build');
    const path = c.req.path;
    const cache = path.startsWith('/_astro/') ? 'immutable' : 'revalidate';
    const found = await serveFile(c, root, pageCandidates(path), cache);
    if (found) return found;
    return (await serveFile(c, root, ['404.html'], 'revalidate', 404)) ?? notFound();
  });
  routes.all('*', () => notFound());
  return routes;
}
