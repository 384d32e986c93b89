import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built site, as the chat server will serve it. */
export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

/** The file a request path is served from: `/privacy` and `/privacy/` are both `privacy/index.html`. */
export function fileForPath(path: string): string {
  const clean = path.replace(/^\/+|\/+$/g, '');
  const direct = join(distDir, clean);
  if (clean !== '' && existsSync(direct) && statSync(direct).isFile()) return direct;
  return join(distDir, clean, 'index.html');
}

export const readPage = (path: string): string => readFileSync(fileForPath(path), 'utf8');

export function builtFiles(dir = distDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? builtFiles(path) : [relative(distDir, path)];
  });
}
