import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildUi } from './build-ui.ts';

// Builds the console: the page (`dist/public`) and the Node entry points (`dist/main.js`, `dist/create-staff.js`)
// with the database migrations beside them (`dist/drizzle`).

const here = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const dist = here('dist');

// better-sqlite3 is a native module declared only by @parley/db, so it is neither bundled nor resolvable from here
// by name: the bundle imports it by its path inside the workspace.
const dbRequire = createRequire(here('../../packages/db/package.json'));
const betterSqlite = dbRequire.resolve('better-sqlite3');
const nativeSqlite: Plugin = {
  name: 'native-sqlite',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => {
      const path = relative(dist, betterSqlite).split('\\').join('/');
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
};

await rm(dist, { recursive: true, force: true });

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
    plugins: [nativeSqlite],
    // Bundled CommonJS code may call `require`; ESM output has none unless it is made.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  }),
  cp(dirname(dirname(dbRequire.resolve('./drizzle/meta/_journal.json'))), here('dist/drizzle'), {
    recursive: true,
  }),
]);

console.log('Built apps/admin/dist: main.js, create-staff.js, drizzle/, public/');
