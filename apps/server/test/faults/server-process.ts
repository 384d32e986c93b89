import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The server as its own process (`src/main.ts` through tsx), for tests that must kill it the hard way.

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: string[];
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** The environment of a test server: its own port, an admin console on any free port, its data in `dataDir`. */
function serverEnv(dataDir: string, port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    // Never the default 8788: a test must not collide with a Parley the developer runs (`npm start`).
    ADMIN_PORT: '0',
    DATABASE_URL: `file:${dataDir}/parley.db`,
    PARLEY_MAIL_DIR: `${dataDir}/mail`,
    ...extra,
  };
}

/** Starts Parley on `port` with its database and mail in `dataDir`, and waits for `/healthz` to answer 200. */
export async function startServerProcess(
  dataDir: string,
  port: number,
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd: dataDir,
    env: serverEnv(dataDir, port, options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited while starting:\n${output.join('')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within ${timeoutMs} ms:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, url, output, exited };
}

/**
 * Runs Parley until it exits by itself (a start that must fail), and returns what it wrote and its exit code; one
 * still running after `timeoutMs` is killed and reported with a null code.
 */
export function runFailingServerProcess(
  dataDir: string,
  port: number,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd: dataDir,
    env: serverEnv(dataDir, port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    }),
  );
}
