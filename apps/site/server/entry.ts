import type { SSRManifest } from 'astro';
import { App as AstroApp } from 'astro/app';
import type { SiteLocals } from '../src/site-locals.ts';

/** What the built `dist/server/entry.mjs` exports: a page or download of the site, rendered for one installation. */
export interface SiteRenderer {
  render(request: Request, locals: SiteLocals): Promise<Response>;
}

export function createExports(manifest: SSRManifest): SiteRenderer {
  const app = new AstroApp(manifest);
  return { render: (request, locals) => app.render(request, { locals: { ...locals } }) };
}
