import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

// Bundles the server into dist/main.js (and its staff command into dist/create-staff.js) and puts beside it what it serves and runs at start-up: the migrations and
// the builds of the widget, the dashboard and the public site (each copied only if it has been built).

const serverRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(serverRoot, '..', '..');
const dist = join(serverRoot, 'dist');

/**
 * better-sqlite3 is a native addon and cannot be bundled; it is declared only by @parley/db. The bundle imports it
 * from there, by a path relative to dist/, so it keeps working wherever the repository is checked out. The WAL
 * checkpoint worker loads it by the same path (`__PARLEY_SQLITE_DRIVER__`).
 */
const sqliteDriverEntry = join(
  repoRoot,
  'packages',
  'db',
  'node_modules',
  'better-sqlite3',
  'lib',
  'index.js',
);
if (!existsSync(sqliteDriverEntry))
  throw new Error(`better-sqlite3 is not installed in packages/db (looked for ${sqliteDriverEntry})`);
const sqliteDriverFromDist = `./${relative(dist, sqliteDriverEntry).split('\\').join('/')}`;
const sqliteFromDbPackage: Plugin = {
  name: 'better-sqlite3-from-db-package',
  setup(build) {
    build.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqliteDriverFromDist, external: true }));
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: {
    main: join(serverRoot, 'src', 'main.ts'),
    'create-staff': join(serverRoot, 'src', 'create-staff.ts'),
  },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  plugins: [sqliteFromDbPackage],
  define: { __PARLEY_SQLITE_DRIVER__: JSON.stringify(sqliteDriverFromDist) },
  // Bundled CommonJS dependencies still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __parleyCreateRequire } from 'node:module';\nconst require = __parleyCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

cpSync(join(repoRoot, 'packages', 'db', 'drizzle'), join(dist, 'drizzle'), { recursive: true });

const builds = [
  ['widget', join(repoRoot, 'packages', 'widget', 'dist'), 'widget', '@parley/widget'],
  ['dashboard', join(repoRoot, 'packages', 'dashboard', 'dist'), 'app', '@parley/dashboard'],
  ['site', join(repoRoot, 'apps', 'site', 'dist'), 'site', '@parley/site'],
  ['admin console', join(repoRoot, 'apps', 'admin', 'dist', 'public'), 'admin', '@parley/admin'],
] as const;
for (const [name, from, to, pkg] of builds) {
  if (existsSync(from)) cpSync(from, join(dist, 'public', to), { recursive: true });
  else console.warn(`The ${name} is not built (${pkg}); the server will say so when asked for it.`);
}
console.log(`Built ${relative(repoRoot, join(dist, 'main.js'))} and create-staff.js`);
