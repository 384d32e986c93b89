import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * RET-4's residue searches: how often `needle` occurs, byte for byte, in each file under `root`, by the file's path
 * under it; files without it are left out. A file that goes while it is read (a recycled WAL segment, a temporary
 * file) is skipped.
 */
export function occurrences(root: string, needle: string): Map<string, number> {
  const pattern = Buffer.from(needle);
  const found = new Map<string, number>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    let n = 0;
    for (let at = content.indexOf(pattern); at !== -1; at = content.indexOf(pattern, at + 1)) n++;
    if (n > 0) found.set(relative(root, path), n);
  }
  return found;
}
