import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How an app's production bundle takes the store along (`@parley/db/bundling`, for build scripts only), so that no
 * build script names a driver or knows where the migrations live. Native drivers cannot be bundled and are declared
 * only by this package: the bundle imports them by their path inside the workspace, relative to the bundle, so it
 * keeps working wherever the repository is checked out. The migrations are copied beside the bundle.
 */

/** Where each engine's migrations are: `migrate` picks the folder of the store's engine. */
export interface MigrationFolders {
  sqlite: string;
  postgres: string;
}

/** The folder of the committed SQLite migrations. */
export const defaultMigrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The committed migrations of both engines; `migrate` uses them unless told otherwise. */
export const defaultMigrationFolders: MigrationFolders = {
  sqlite: defaultMigrationsFolder,
  postgres: fileURLToPath(new URL('../drizzle-postgres', import.meta.url)),
};

/** Where a bundle finds the migrations copied beside it, in folders named as in this package. */
export const BUNDLED_MIGRATIONS: MigrationFolders = { sqlite: 'drizzle', postgres: 'drizzle-postgres' };

/** The migrations copied beside a bundle in `folder`, if they are there (a bundled server), else the committed ones. */
export function migrationFoldersIn(folder: string): MigrationFolders {
  const bundled = (engine: keyof MigrationFolders) => join(folder, BUNDLED_MIGRATIONS[engine]);
  return existsSync(join(bundled('sqlite'), 'meta', '_journal.json'))
    ? { sqlite: bundled('sqlite'), postgres: bundled('postgres') }
    : defaultMigrationFolders;
}

/** Drivers that stay outside the bundle: native addons. */
const NATIVE_DRIVERS = ['better-sqlite3'] as const;

/** The part of an esbuild plugin this needs; esbuild's own `Plugin` type accepts it. */
export interface BundlerPlugin {
  name: string;
  setup(build: {
    onResolve(options: { filter: RegExp }, callback: () => { path: string; external: boolean }): void;
  }): void;
}

/** Options to spread into the bundler's build options for a bundle written to the folder `outdir`. */
export function storeBundleOptions(outdir: string): {
  plugins: BundlerPlugin[];
  define: Record<string, string>;
} {
  const fromHere = createRequire(import.meta.url);
  const fromBundle = (driver: string) => {
    const path = relative(outdir, fromHere.resolve(driver)).split('\\').join('/');
    return path.startsWith('.') ? path : `./${path}`;
  };
  const plugins = NATIVE_DRIVERS.map(
    (driver): BundlerPlugin => ({
      name: `${driver}-from-parley-db`,
      setup(build) {
        const filter = new RegExp(`^${driver}$`);
        build.onResolve({ filter }, () => ({ path: fromBundle(driver), external: true }));
      },
    }),
  );
  // The WAL checkpoint worker loads the driver by path too (see `checkpointer.ts`).
  return { plugins, define: { __PARLEY_SQLITE_DRIVER__: JSON.stringify(fromBundle('better-sqlite3')) } };
}

/** Copies both engines' migrations beside the bundle in `outdir`, where `migrationFoldersIn` finds them. */
export function copyMigrations(outdir: string): void {
  for (const engine of ['sqlite', 'postgres'] as const)
    cpSync(defaultMigrationFolders[engine], join(outdir, BUNDLED_MIGRATIONS[engine]), { recursive: true });
}

/**
 * For a self-contained build, which carries the SQLite driver inside it: better-sqlite3's entry (to bundle into one
 * CommonJS file) and its native addon, to be put at `SQLITE_DRIVER_FILES` in the build's folder.
 */
export function sqliteDriverSources(): { entry: string; addon: string } {
  const entry = createRequire(import.meta.url).resolve('better-sqlite3');
  return { entry, addon: join(dirname(entry), '..', 'build', 'Release', 'better_sqlite3.node') };
}
