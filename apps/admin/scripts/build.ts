import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { copyMigrations, storeBundleOptions } from '@parley/db/bundling';
import { build } from 'esbuild';
import { buildUi } from './build-ui.ts';

// Builds the console: the page (`dist/public`) and the Node entry points (`dist/main.js`, `dist/create-staff.js`)
// with the database migrations beside them (`dist/drizzle`).

const here = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const dist = here('dist');

await rm(dist, { recursive: true, force: true });
copyMigrations(dist);

await Promise.all([
  buildUi(here('dist/public')),
  build({
    entryPoints: { main: here('src/main.ts'), 'create-staff': here('src/create-staff.ts') },
    outdir: dist,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    // The store's drivers stay outside the bundle; @parley/db says how the bundle reaches them.
    ...storeBundleOptions(dist),
    // Bundled CommonJS code may call `require`; ESM output has none unless it is made.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  }),
]);

console.log('Built apps/admin/dist: main.js, create-staff.js, drizzle/, public/');
