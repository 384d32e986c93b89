import { fileURLToPath } from 'node:url';

/** Where the self-contained build keeps sharp's addon, with libvips where the addon's RPATH looks for it. */
export const SHARP_ADDON = 'native/@img/sharp-linux-x64/lib/sharp-linux-x64.node';
export const LIBVIPS_FOLDER = 'native/@img/sharp-libvips-linux-x64/lib';

/**
 * sharp's native addon, for the self-contained build, which replaces sharp's own loader (it `require`s the addon
 * from its package, which a single executable cannot) with this.
 */
export function sharpAddon(): unknown {
  const module = { exports: {} };
  process.dlopen(module, fileURLToPath(new URL(`./${SHARP_ADDON}`, import.meta.url)));
  return module.exports;
}
