import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyMigrations, storeBundleOptions } from '@parley/db/bundling';
import { build } from 'esbuild';
import { copyFrontEnds } from './front-end-builds.ts';

// Bundles the server into dist/main.js (and the `parley` command into dist/parley.js) and puts beside it what it serves and runs at start-up: the migrations and
// the builds of the widget, the dashboard and the public site (each copied only if it has been built).

const serverRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(serverRoot, '..', '..');
const dist = join(serverRoot, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

/**
 * sharp, which re-encodes the images sent in chats, is a native addon with libvips beside it: it stays outside the
 * bundle, which imports it by its path in the workspace, relative to the bundle, as the store's drivers are.
 */
const sharpOutside = {
  name: 'sharp-outside',
  setup(builder: { onResolve(o: { filter: RegExp }, f: () => { path: string; external: boolean }): void }) {
    const path = relative(dist, createRequire(import.meta.url).resolve('sharp'))
      .split('\\')
      .join('/');
    builder.onResolve({ filter: /^sharp$/ }, () => ({ path, external: true }));
  },
};
const store = storeBundleOptions(dist);

await build({
  entryPoints: {
    main: join(serverRoot, 'src', 'main.ts'),
    parley: join(serverRoot, 'src', 'cli', 'parley.ts'),
  },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  // The store's drivers stay outside the bundle; @parley/db says how the bundle reaches them.
  ...store,
  plugins: [...store.plugins, sharpOutside],
  // Bundled CommonJS dependencies still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __parleyCreateRequire } from 'node:module';\nconst require = __parleyCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

copyMigrations(dist);

copyFrontEnds(dist);
console.log(`Built ${relative(repoRoot, join(dist, 'main.js'))} and parley.js`);
