import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from './server-process.ts';

// `npm start` runs `tooling/parley.mjs`, which runs the built server as its child. A service manager, `kill` or
// Ctrl-C signals the script; the server must stop with it, cleanly, and never be left running without a parent.

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** `node tooling/parley.mjs serve`, or the same through `npm run serve` as `npm start` runs it. */
async function startScript(
  through: 'node' | 'npm' = 'node',
): Promise<{ script: ChildProcess; url: string; output: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-start-script-'));
  dirs.push(dir);
  const port = await freePort();
  const [command, args] =
    through === 'node'
      ? [process.execPath, ['tooling/parley.mjs', 'serve']]
      : ['npm', ['run', '--silent', 'serve']];
  const script = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: String(port),
      ADMIN_PORT: '0',
      DATABASE_PATH: join(dir, 'parley.db'),
      PARLEY_MAIL_DIR: join(dir, 'mail'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(script);
  const output: string[] = [];
  for (const stream of [script.stdout, script.stderr])
    stream?.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  while (!(await answers(url))) {
    if (script.exitCode !== null) throw new Error(`the start script exited:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { script, url, output };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

describe('the start script', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`passes ${signal} to the server and exits once the server has shut down cleanly`, async () => {
      const { script, url, output } = await startScript();
      script.kill(signal);
      expect(await exitOf(script)).toBe(0);
      // The server shut down through its own handler (it logs it), and nothing answers on its port any more.
      expect(output.join('')).toContain(`${signal}: finishing open work and shutting down`);
      expect(await answers(url)).toBe(false);
    });
  }

  it('stops the server cleanly when SIGTERM goes to npm, which does not wait for its script', async () => {
    const { script, url, output } = await startScript('npm');
    script.kill('SIGTERM');
    await exitOf(script);
    // npm is gone at once; the server finishes its shutdown and nothing is left answering.
    const deadline = Date.now() + 15_000;
    while (!output.join('').includes('SIGTERM: finishing open work') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output.join('')).toContain('SIGTERM: finishing open work and shutting down');
    while ((await answers(url)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await answers(url)).toBe(false);
  });
});
