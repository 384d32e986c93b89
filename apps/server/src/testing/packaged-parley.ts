import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built `parley` command run as an operator runs it, for the test and the benchmark of `pnpm package`: the
// single executable dist/parley, `node dist/parley-node/parley.cjs`, or the ES module build.

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const EXECUTABLE = join(REPO_ROOT, 'dist', 'parley');
export const EXECUTABLE_BUNDLE = join(REPO_ROOT, 'dist', 'parley-node', 'parley.cjs');
export const ESM_COMMAND = join(REPO_ROOT, 'apps', 'server', 'dist', 'parley.js');

/** What the package is built from: the sources (without their builds), and the front ends' builds it carries. */
const SOURCES = ['apps/server/src', 'apps/server/scripts', 'packages'];
const FRONT_END_BUILDS = [
  'packages/widget/dist',
  'packages/dashboard/dist',
  'apps/site/dist',
  'apps/admin/dist',
];

function newestChange(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `pnpm package`'s build step unless dist/parley is newer than every source it is built from. */
export function packageUnlessFresh(): void {
  const built = existsSync(EXECUTABLE) && existsSync(EXECUTABLE_BUNDLE) ? statSync(EXECUTABLE).mtimeMs : 0;
  const folders = [...SOURCES, ...FRONT_END_BUILDS]
    .map((folder) => join(REPO_ROOT, folder))
    .filter(existsSync);
  if (built > 0 && folders.every((folder) => newestChange(folder) < built)) return;
  const server = join(REPO_ROOT, 'apps', 'server');
  execFileSync(join(server, 'node_modules', '.bin', 'tsx'), [join(server, 'scripts', 'package.ts')], {
    cwd: server,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface PackagedParley {
  pid: number;
  /** The chat server's address, as the process printed it. */
  url: string;
  /** From spawn to the first `/healthz` 200. */
  startupMs: number;
  output: () => string;
  /** SIGTERM, then the exit code once it has exited. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `command args` in `cwd` with exactly `env` (by default only PORT=0 and ADMIN_PORT=0: no PATH, no HOME),
 * waits for it to print where it listens and for `/healthz` there to answer 200.
 */
export async function startPackagedParley(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = { PORT: '0', ADMIN_PORT: '0' },
  timeoutMs = 60_000,
): Promise<PackagedParley> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  const fail = (why: string) => {
    child.kill('SIGKILL');
    return new Error(`${command} ${args.join(' ')} ${why}:\n${output}`);
  };
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw fail('exited while starting');
    if (Date.now() > deadline) throw fail(`did not answer /healthz within ${timeoutMs} ms`);
    const url = /Parley is listening on (http:\/\/[^\s"]+)/.exec(output)?.[1];
    if (url) {
      const answered = await fetch(`${url}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (answered) {
        const pid = child.pid ?? 0;
        return {
          pid,
          url,
          startupMs: performance.now() - started,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The files a process has mapped into memory: its binary, shared libraries, addons, the database's shared memory. */
export function mappedFiles(pid: number): string[] {
  const paths = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .filter((path) => path.startsWith('/'));
  return [...new Set(paths)];
}
