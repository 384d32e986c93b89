import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const biome = join(repoRoot, 'node_modules', '.bin', 'biome');

/** Lines that reach a driver or drizzle, as a file outside this package might write them. */
const DRIVER_IMPORTS = [
  "import Database from 'better-sqlite3';",
  "import type { Statement } from 'better-sqlite3';",
  "import { eq } from 'drizzle-orm';",
  "import { sqliteTable } from 'drizzle-orm/sqlite-core';",
  "import pg from 'pg';",
  "import postgres from 'postgres';",
];
const ALLOWED = "import { openDatabase } from '@parley/db';";

interface Diagnostic {
  category: string;
  location: { path: string; start: { line: number } };
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Lints files laid out as in the repository, under the repository's own lint configuration. */
async function lint(files: Record<string, string>): Promise<Diagnostic[]> {
  const root = mkdtempSync(join(tmpdir(), 'parley-lint-'));
  folders.push(root);
  writeFileSync(join(root, 'biome.json'), JSON.stringify({ extends: [join(repoRoot, 'biome.json')] }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const run = promisify(execFile)(biome, ['lint', '--reporter=json', '--max-diagnostics=none', '.'], {
    cwd: root,
  });
  const { stdout } = await run.catch((failed: { stdout: string }) => failed);
  return (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics;
}

const source = (lines: string[]) =>
  `${lines.join('\n')}\n\nexport const used = [${lines.map((_, i) => `l${i}`).join(', ')}];\n`;

describe('the lint rule that keeps drivers inside @parley/db', () => {
  it('refuses every driver or drizzle import outside packages/db, and allows them inside', async () => {
    const named = DRIVER_IMPORTS.map((line, i) =>
      line.replace(/import (type )?(\{ \w+ \}|\w+)/, `import $1l${i}`),
    );
    const diagnostics = await lint({
      'apps/server/src/reaches-the-driver.ts': source(named),
      'tooling/bench/src/reaches-the-driver.ts': source(named),
      'apps/admin/src/uses-the-store.ts': `${ALLOWED}\n\nexport const used = openDatabase;\n`,
      'packages/db/src/reaches-the-driver.ts': source(named),
    });
    const refused = diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports');
    const lines = (path: string) =>
      refused.filter((d) => d.location.path === path).map((d) => d.location.start.line);
    const every = DRIVER_IMPORTS.map((_, i) => i + 1);
    expect(lines('apps/server/src/reaches-the-driver.ts')).toEqual(every);
    expect(lines('tooling/bench/src/reaches-the-driver.ts')).toEqual(every);
    expect(lines('apps/admin/src/uses-the-store.ts')).toEqual([]);
    expect(lines('packages/db/src/reaches-the-driver.ts')).toEqual([]);
  });
});
