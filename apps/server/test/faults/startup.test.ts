import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  freePort,
  runFailingServerProcess,
  type ServerProcess,
  startServerProcess,
} from './server-process.ts';

// Starting Parley the way an operator does, with the settings an operator gets wrong: each failure is one line that
// names the setting and says what to do, never a stack trace.

const dirs: string[] = [];
const listeners: Server[] = [];
let running: ServerProcess | null = null;

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-startup-'));
  dirs.push(dir);
  return dir;
}

/** Holds `port` on 127.0.0.1; resolves false if something else already holds it (it is taken either way). */
function occupy(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => {
      listeners.push(server);
      resolve(true);
    });
  });
}

afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  running = null;
  for (const server of listeners.splice(0)) await new Promise((done) => server.close(done));
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An operator that names itself, so that a failed start has nothing else to say. */
const NAMED = { PARLEY_OPERATOR_NAME: 'Acme Chat GmbH', PARLEY_PRIVACY_CONTACT: 'privacy@acme.test' };

/** What a failed start wrote to the terminal, as lines. */
const linesOf = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('a start-up failure', () => {
  it('a region the policy does not list is one line naming PARLEY_REGION and the allowed regions', async () => {
    const result = await runFailingServerProcess(dataDir(), await freePort(), {
      ...NAMED,
      PARLEY_REGION: 'XX',
    });
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toEqual([
      'Parley cannot start: PARLEY_REGION="XX" must be a region the privacy policy lists: SG, US, CA, DE, NL',
    ]);
  });

  it('a port already in use is one line naming PORT and what to do', async () => {
    const port = await freePort();
    await occupy(port);
    const result = await runFailingServerProcess(dataDir(), port, NAMED);
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toEqual([
      `Parley cannot start: PORT=${port}: 127.0.0.1:${port} is already in use; stop what listens there or set PORT to a free port`,
    ]);
  });

  it("the admin console's port in use is one line naming ADMIN_PORT", async () => {
    const adminPort = await freePort();
    await occupy(adminPort);
    const result = await runFailingServerProcess(dataDir(), await freePort(), {
      ...NAMED,
      ADMIN_PORT: String(adminPort),
    });
    expect(result.code).toBe(1);
    const errors = linesOf(result.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Parley cannot start: ADMIN_PORT=\d+: .* is already in use/);
  });

  it('a secret setting is named but its value is never printed', async () => {
    const result = await runFailingServerProcess(dataDir(), await freePort(), {
      ...NAMED,
      SMTP_URL: 'http://mailer:hunter2-secret@example.test',
    });
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toEqual([
      'Parley cannot start: SMTP_URL must be an smtp:// or smtps:// URL',
    ]);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('a PostgreSQL server that cannot be reached is one line naming DATABASE_URL, without the password', async () => {
    const nobody = await freePort();
    const result = await runFailingServerProcess(dataDir(), await freePort(), {
      ...NAMED,
      DATABASE_URL: `postgres://parley:hunter2-secret@127.0.0.1:${nobody}/parley`,
    });
    expect(result.code).toBe(1);
    const errors = linesOf(result.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^Parley cannot start: DATABASE_URL=postgres://parley:\\*\\*\\*@127\\.0\\.0\\.1:${nobody}/parley: the PostgreSQL database cannot be used \\(.*ECONNREFUSED.*\\); check that the server is running`,
      ),
    );
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('a bad value in the config file is one line naming the setting and the file', async () => {
    const dir = dataDir();
    const file = join(dir, 'parley.json');
    writeFileSync(file, JSON.stringify({ ...NAMED, PARLEY_REGION: 'XX' }));
    const result = await runFailingServerProcess(dir, await freePort(), { PARLEY_CONFIG: file });
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toEqual([
      `Parley cannot start: PARLEY_REGION="XX" (in ${file}) must be a region the privacy policy lists: SG, US, CA, DE, NL`,
    ]);
  });
});

describe('starting', () => {
  it('takes its settings from the config file PARLEY_CONFIG names, the environment winning over it', async () => {
    const dir = dataDir();
    const file = join(dir, 'parley.json');
    writeFileSync(file, JSON.stringify({ ...NAMED, PORT: 1 }));
    running = await startServerProcess(dir, await freePort(), { env: { PARLEY_CONFIG: file } });
    const policy = (await (await fetch(`${running.url}/policy.json`)).json()) as unknown;
    expect(JSON.stringify(policy)).toContain('Acme Chat GmbH');
  });

  it('warns that the policy names Parley as the responsible party when the operator is not set', async () => {
    running = await startServerProcess(dataDir(), await freePort());
    expect(running.output.join('')).toContain(
      'PARLEY_OPERATOR_NAME and PARLEY_PRIVACY_CONTACT are not both set',
    );
  });

  it('says nothing of the kind when the operator names itself', async () => {
    running = await startServerProcess(dataDir(), await freePort(), {
      env: NAMED,
    });
    expect(running.output.join('')).not.toContain('PARLEY_OPERATOR_NAME');
  });

  it('a test server starts while the default ports 8787 and 8788 are taken (npm start running beside npm test)', async () => {
    await occupy(8787);
    await occupy(8788);
    running = await startServerProcess(dataDir(), await freePort());
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
