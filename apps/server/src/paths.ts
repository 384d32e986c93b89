import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MigrationFolders, migrationFoldersIn } from '@parley/db/bundling';

/** The built front ends the server serves, and the migrations it runs. A null folder has not been built. */
export interface Assets {
  widget: string | null;
  dashboard: string | null;
  site: string | null;
  admin: string | null;
  /** Each engine's migrations: copied beside the bundle, or the committed ones in development. */
  migrations: MigrationFolders;
}

export interface MissingBuild {
  name: 'widget' | 'dashboard' | 'site' | 'admin';
  /** Where it was looked for. */
  looked: string[];
  build: string;
}

// In the production bundle this file is dist/main.js and the builds sit beside it in dist/public; in development
// (tsx src/main.ts) they are the workspace packages' own dist folders. Both files are three levels below the root.
const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

const BUILDS = [
  {
    name: 'widget',
    file: 'widget.js',
    candidates: ['./public/widget/', '../../../packages/widget/dist/'],
    build: 'pnpm --filter @parley/widget build',
  },
  {
    name: 'dashboard',
    file: 'index.html',
    candidates: ['./public/app/', '../../../packages/dashboard/dist/'],
    build: 'pnpm --filter @parley/dashboard build',
  },
  {
    name: 'site',
    file: 'server/entry.mjs',
    candidates: ['./public/site/', '../../../apps/site/dist/'],
    build: 'pnpm --filter @parley/site build',
  },
  {
    name: 'admin',
    file: 'index.html',
    candidates: ['./public/admin/', '../../../apps/admin/dist/public/'],
    build: 'pnpm --filter @parley/admin build',
  },
] as const;

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Finds each build; a missing one is reported, not fatal, so the server still runs without it. */
export function locateAssets(): { assets: Assets; missing: MissingBuild[] } {
  const missing: MissingBuild[] = [];
  const found: Partial<Record<MissingBuild['name'], string>> = {};
  for (const build of BUILDS) {
    const folders = build.candidates.map(here);
    const folder = folders.find((f) => isFile(`${f}${build.file}`));
    if (folder) found[build.name] = folder;
    else missing.push({ name: build.name, looked: folders, build: build.build });
  }
  return {
    assets: {
      widget: found.widget ?? null,
      dashboard: found.dashboard ?? null,
      site: found.site ?? null,
      admin: found.admin ?? null,
      migrations: migrationFoldersIn(here('.')),
    },
    missing,
  };
}
