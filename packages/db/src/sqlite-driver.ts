import { join } from 'node:path';

/**
 * Where better-sqlite3's files are when they are not in its package. A self-contained build carries the driver's
 * JavaScript in one CommonJS file and its native addon beside it, and names their folder here before any store is
 * opened; otherwise better-sqlite3 finds its own addon, as it always does.
 */
export interface SqliteDriverFiles {
  /** better-sqlite3 in one CommonJS file: the checkpoint worker loads the driver by path. */
  driver: string;
  /** The native addon. */
  addon: string;
}

/** Where a self-contained build keeps the driver's files, relative to its folder. */
export const SQLITE_DRIVER_FILES: SqliteDriverFiles = {
  driver: 'native/better-sqlite3.cjs',
  addon: 'native/better_sqlite3.node',
};

let files: SqliteDriverFiles | undefined;
let addon: object | undefined;

/** Makes every store opened from now on load the driver's addon from the build in `folder`. */
export function useSqliteDriverIn(folder: string): void {
  files = {
    driver: join(folder, SQLITE_DRIVER_FILES.driver),
    addon: join(folder, SQLITE_DRIVER_FILES.addon),
  };
  addon = undefined;
}

/** The driver's files named by `useSqliteDriverIn`, if any. */
export function sqliteDriverFiles(): SqliteDriverFiles | undefined {
  return files;
}

/**
 * better-sqlite3's `nativeBinding` option: the named addon, loaded once with `process.dlopen` (a single executable's
 * `require` loads only Node's built-ins), or nothing, so that the driver loads its own.
 */
export function sqliteNativeBinding(): { nativeBinding?: string } {
  if (!files) return {};
  if (!addon) {
    const module = { exports: {} };
    process.dlopen(module, files.addon);
    addon = module.exports;
  }
  // better-sqlite3 takes the loaded addon as well as a path, which its types do not say.
  return { nativeBinding: addon as unknown as string };
}
