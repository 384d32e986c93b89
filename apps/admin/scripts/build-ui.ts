import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ui = (file: string) => fileURLToPath(new URL(`../src/ui/${file}`, import.meta.url));

/** The console's page: index.html, app.js (plain TS and DOM, bundled), app.css and favicon.svg. */
export async function buildUi(outdir: string): Promise<void> {
  await mkdir(outdir, { recursive: true });
  await Promise.all([
    build({
      entryPoints: [ui('app.ts')],
      outfile: join(outdir, 'app.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    }),
    build({
      entryPoints: [ui('app.css')],
      outfile: join(outdir, 'app.css'),
      bundle: true,
      minify: true,
      logLevel: 'warning',
    }),
    cp(ui('index.html'), join(outdir, 'index.html')),
    cp(ui('favicon.svg'), join(outdir, 'favicon.svg')),
  ]);
}
