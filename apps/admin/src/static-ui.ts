import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/** The files `scripts/build.ts` writes; nothing else is served. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * `public` beside a bundle of this code, or `dist/public` beside the sources (`src/`). The page must be the console's
 * own: another app that bundles this code may have a `public` folder of its own beside its bundle.
 */
export function findPublicDirectory(): string | undefined {
  const candidates = [new URL('./public/', import.meta.url), new URL('../dist/public/', import.meta.url)];
  return candidates
    .map((url) => fileURLToPath(url))
    .find((dir) => {
      const page = join(dir, 'index.html');
      return existsSync(page) && readFileSync(page, 'utf8').includes('src="/admin/app.js"');
    });
}

/** Serves the console's page and its assets, read once and kept in memory. */
export function staticUi(directory: string | undefined): Hono {
  const cache = new Map<string, Promise<Buffer | null>>();
  const load = (name: string) => {
    let file = cache.get(name);
    if (!file) {
      file = directory ? readFile(join(directory, name)).catch(() => null) : Promise.resolve(null);
      cache.set(name, file);
    }
    return file;
  };
  const ui = new Hono();
  const serve = (name: string) => async () => {
    const body = await load(name);
    if (body === null)
      return new Response(
        'The admin console has not been built: run `pnpm --filter @parley/admin build`.\n',
        {
          status: 503,
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        },
      );
    return new Response(new Uint8Array(body), {
      headers: { 'Content-Type': FILES[name]!, 'Cache-Control': 'no-cache' },
    });
  };
  ui.get('/admin', serve('index.html'));
  ui.get('/admin/', serve('index.html'));
  ui.get('/admin/app.js', serve('app.js'));
  ui.get('/admin/app.css', serve('app.css'));
  ui.get('/admin/favicon.svg', serve('favicon.svg'));
  return ui;
}
