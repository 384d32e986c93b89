import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** Node flags that let a forked child run TypeScript through tsx, wherever the bench was started from. */
export const TSX_EXEC_ARGV = ['--import', import.meta.resolve('tsx')];

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVER_MAIN = join(REPO_ROOT, 'apps/server/dist/main.js');
const SERVER_SOURCE = join(REPO_ROOT, 'apps/server/src/main.ts');

/**
 * How the server is started: the production bundle, or with PARLEY_BENCH_FROM_SOURCE=1 its source through tsx
 * (slower to start, for trying a change before building; not for published figures). PARLEY_BENCH_SERVER_MAIN
 * names another build's `main.js` instead, to measure an earlier version under the same benchmark.
 */
function serverCommand(): string[] {
  // e.g. PARLEY_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=profiles" to profile the server alone.
  const nodeArgs = process.env.PARLEY_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  if (process.env.PARLEY_BENCH_FROM_SOURCE === '1') return [...nodeArgs, ...TSX_EXEC_ARGV, SERVER_SOURCE];
  const main = process.env.PARLEY_BENCH_SERVER_MAIN ?? SERVER_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run pnpm --filter @parley/server build`);
  return [...nodeArgs, main];
}

export interface RunningServer {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** Lines the server printed, for diagnostics. */
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `parley-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function stopper(child: ChildProcess) {
  return (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill(signal);
    });
}

function collect(child: ChildProcess, output: string[], echo: boolean) {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) output.push(line);
      if (output.length > 500) output.splice(0, output.length - 500);
      if (echo) process.stderr.write(chunk);
    });
  }
}

/** Starts one of the comparison relays in its own process. */
export function startRelay(kind: 'bare-ws' | 'socketio'): Promise<RunningServer> {
  return forkServer(
    kind === 'bare-ws' ? 'bare ws relay' : 'Socket.IO relay',
    new URL(`./relays/${kind === 'bare-ws' ? 'bare-ws-relay' : 'socketio-relay'}.ts`, import.meta.url),
  );
}

/**
 * Starts `parley-without-storage.ts` (Parley with its message store taken out, run from source) on the database at
 * `dbPath`.
 */
export function startParleyWithoutStorage(dbPath: string): Promise<RunningServer> {
  return forkServer('Parley without storage', new URL('./parley-without-storage.ts', import.meta.url), [
    dbPath,
  ]);
}

/** Forks a TypeScript server script that sends `{ port }` over IPC once it listens on 127.0.0.1. */
async function forkServer(name: string, script: URL, args: string[] = []): Promise<RunningServer> {
  const child = fork(fileURLToPath(script), args, {
    execArgv: TSX_EXEC_ARGV,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  collect(child, output, false);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output.join('\n')}`)));
  });
  return {
    name,
    pid: child.pid!,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output,
    stop: stopper(child),
  };
}

export interface ParleyStart extends RunningServer {
  /** From spawn to the first `/healthz` 200, ms. */
  startupMs: number;
}

/**
 * Starts the production bundle (`node apps/server/dist/main.js`) on free ports of 127.0.0.1 with its database in
 * `dataDir` (or where `env.DATABASE_URL` says), and waits until `/healthz` answers 200.
 */
export async function startParley(
  dataDir: string,
  options: {
    env?: Record<string, string>;
    nodeArgs?: string[];
    echo?: boolean;
    timeoutMs?: number;
    port?: number;
  } = {},
): Promise<ParleyStart> {
  const port = options.port ?? (await freePort());
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serverCommand()], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dataDir, 'parley.db')}`,
      PARLEY_MAIL_DIR: join(dataDir, 'mail'),
      // The admin listener on a free port too: the default one is taken by any other Parley on the machine (another
      // benchmark's, or a cluster's other node).
      ADMIN_PORT: String(await freePort()),
      // A benchmark's visitors all start their chats at once, which an installation rightly throttles (SEC-1).
      PARLEY_NEW_CHATS_PER_MINUTE: '1000000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  collect(child, output, options.echo ?? false);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  for (;;) {
    if (exited) throw new Error(`Parley ${exited}:\n${output.join('\n')}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `Parley did not answer /healthz within ${options.timeoutMs ?? 30_000} ms:\n${output.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return {
    name: 'Parley',
    pid: child.pid!,
    port,
    baseUrl,
    child,
    output,
    startupMs: performance.now() - started,
    stop: stopper(child),
  };
}
