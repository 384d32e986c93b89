import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The front ends' builds, each under the name the server finds it by in `public/` (see `src/paths.ts`). */
const BUILDS = [
  ['widget', join(repoRoot, 'packages', 'widget', 'dist'), 'widget', '@parley/widget'],
  ['dashboard', join(repoRoot, 'packages', 'dashboard', 'dist'), 'app', '@parley/dashboard'],
  ['site', join(repoRoot, 'apps', 'site', 'dist'), 'site', '@parley/site'],
  ['admin console', join(repoRoot, 'apps', 'admin', 'dist', 'public'), 'admin', '@parley/admin'],
] as const;

/** Copies the front ends into `folder`/public, each only if it has been built; returns those that have not. */
export function copyFrontEnds(folder: string): string[] {
  const missing: string[] = [];
  for (const [name, from, to, pkg] of BUILDS) {
    if (existsSync(from)) cpSync(from, join(folder, 'public', to), { recursive: true });
    else {
      console.warn(`The ${name} is not built (${pkg}); the server will say so when asked for it.`);
      missing.push(pkg);
    }
  }
  return missing;
}
