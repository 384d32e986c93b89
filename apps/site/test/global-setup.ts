import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Turbo builds before it tests; a plain `vitest run` on a fresh checkout builds here instead. */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (existsSync(join(root, 'dist', 'server', 'entry.mjs'))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'astro', 'astro.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
}
