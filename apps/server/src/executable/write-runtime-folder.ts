import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { getAsset, getRawAsset } from 'node:sea';

/** The asset listing every other asset, by its path in the runtime folder; `pnpm package` writes it. */
export const ASSET_LIST = 'assets.json';

/** The file, in the runtime folder, through which the single executable imports ES modules from disk. */
export const MODULE_IMPORTER = 'import-module.cjs';

/**
 * Writes the single executable's files out to `folder`, unless an earlier start did. They are written to a fresh
 * folder beside it and renamed into place in one step, so a start that is interrupted leaves no half-written
 * folder behind that a later one would take, and of two nodes starting at once, one renames and the other uses
 * what the first one wrote.
 */
export function writeRuntimeFolder(folder: string): void {
  if (existsSync(join(folder, ASSET_LIST))) return;
  mkdirSync(dirname(folder), { recursive: true });
  removeAbandoned(folder);
  const fresh = mkdtempSync(join(dirname(folder), `.${basename(folder)}-`));
  try {
    const files = JSON.parse(getAsset(ASSET_LIST, 'utf8')) as string[];
    for (const file of files) {
      mkdirSync(dirname(join(fresh, file)), { recursive: true });
      writeFileSync(join(fresh, file), new Uint8Array(getRawAsset(file) as ArrayBuffer));
    }
    // Last, as the mark of a complete folder.
    writeFileSync(join(fresh, ASSET_LIST), JSON.stringify(files));
    renameSync(fresh, folder);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    // Another start renamed its folder into place first: that one is as good.
    if (!existsSync(join(folder, ASSET_LIST))) throw error;
  }
}

/** A start writes its files in well under this; a fresh folder older than it was left by a start that died. */
const ABANDONED_AFTER_MS = 10 * 60_000;

/** Removes the fresh folders that interrupted starts left beside `folder`: old enough that no start still writes them. */
function removeAbandoned(folder: string): void {
  const prefix = `.${basename(folder)}-`;
  for (const name of readdirSync(dirname(folder))) {
    const path = join(dirname(folder), name);
    if (name.startsWith(prefix) && Date.now() - statSync(path).mtimeMs > ABANDONED_AFTER_MS)
      rmSync(path, { recursive: true, force: true });
  }
}
