import { join, resolve } from 'node:path';
import { isSea } from 'node:sea';
import { pathToFileURL } from 'node:url';

/**
 * The self-contained build (`pnpm package`) is one CommonJS bundle, whose code still finds its files through
 * `import.meta.url` as in the ES module build: the migrations and `public/` beside the bundle (`paths.ts`). esbuild
 * injects this module first and reads `import.meta.url` as `__parleyModuleUrl`, a file in the runtime folder.
 *
 * Run with `node`, the runtime folder is the bundle's own (dist/parley-node/), where the files lie beside it. The
 * single executable carries them inside and writes them out on first start to
 * `${PARLEY_RUNTIME_DIR:-./data/runtime}/<build id>/`, beside the other state (`./data/parley.db`, `./data/mail`).
 * The build id is a hash of those files, so another build never takes a folder written by this one.
 */

declare const __PARLEY_BUILD_ID__: string;

function runtimeFolderOf(): string {
  // Read before the settings are: the files must be in place before any code that the settings configure is loaded.
  if (isSea()) return resolve(process.env.PARLEY_RUNTIME_DIR || join('data', 'runtime'), __PARLEY_BUILD_ID__);
  return __dirname;
}

export const runtimeFolder = runtimeFolderOf();

/** What `import.meta.url` means in the bundle. */
export const __parleyModuleUrl = pathToFileURL(join(runtimeFolder, 'parley.cjs')).href;
