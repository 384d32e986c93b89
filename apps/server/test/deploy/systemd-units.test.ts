import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_GRACE_MS } from '../../src/server.ts';

// The systemd units an operator installs from deploy/: the hardening the README promises is in them, and systemd's
// own checker accepts them without a warning.

const run = promisify(execFile);
const DEPLOY = new URL('../../../../deploy/', import.meta.url);
const UNITS = ['parley.service', 'parley-backup.service', 'parley-backup.timer'];
const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) => existsSync(path));
const EXECUTABLE = '/usr/local/bin/parley';

const unitText = (name: string) => readFile(new URL(name, DEPLOY), 'utf8');

/** The settings of one section, each key with every value it is given (systemd lets some repeat). */
function section(text: string, name: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let current = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1]!;
      continue;
    }
    if (current !== name) continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    settings.set(key, [...(settings.get(key) ?? []), line.slice(at + 1)]);
  }
  return settings;
}

const seconds = (value: string): number => {
  const match = /^(\d+)(s|min)?$/.exec(value);
  if (!match) throw new Error(`not a duration this test reads: ${value}`);
  return Number(match[1]) * (match[2] === 'min' ? 60 : 1);
};

describe('parley.service', () => {
  it('runs `parley serve` as a dynamic user in its state directory, hardened, and stops within its timeout', async () => {
    const service = section(await unitText('parley.service'), 'Service');
    expect(Object.fromEntries([...service].map(([key, values]) => [key, values.join(' | ')]))).toMatchObject({
      ExecStart: `${EXECUTABLE} serve`,
      DynamicUser: 'yes',
      StateDirectory: 'parley',
      WorkingDirectory: '%S/parley',
      EnvironmentFile: '-/etc/parley/parley.env',
      Restart: 'on-failure',
      KillSignal: 'SIGTERM',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      NoNewPrivileges: 'yes',
      LockPersonality: 'yes',
      RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6',
      RestrictSUIDSGID: 'yes',
      ProtectKernelTunables: 'yes',
      ProtectKernelModules: 'yes',
      ProtectControlGroups: 'yes',
      CapabilityBoundingSet: '',
    });
    expect(service.get('Environment')?.join(' ')).toContain('PARLEY_DEMO=0');
    // V8's JIT writes the code it runs: a service with this set crashes at start.
    expect(service.has('MemoryDenyWriteExecute')).toBe(false);
    // The graceful stop cuts connections after SHUTDOWN_GRACE_MS and then flushes and checkpoints the store.
    expect(seconds(service.get('TimeoutStopSec')![0]!)).toBeGreaterThanOrEqual(
      (SHUTDOWN_GRACE_MS / 1000) * 4,
    );
  });

  it('the backup runs as the same user, in the same folder, with the same settings', async () => {
    const [server, backup] = await Promise.all(
      ['parley.service', 'parley-backup.service'].map(async (name) =>
        section(await unitText(name), 'Service'),
      ),
    );
    for (const key of ['DynamicUser', 'User', 'StateDirectory', 'WorkingDirectory', 'EnvironmentFile'])
      expect(backup!.get(key), key).toEqual(server!.get(key));
    expect(backup!.get('ExecStart')?.[0]).toContain(`${EXECUTABLE} backup `);
  });
});

describe('parleyctl', () => {
  it('runs a command as the service: its user, folder and settings, with stdin passed through', async () => {
    const script = await readFile(new URL('parleyctl', DEPLOY), 'utf8');
    await run('sh', ['-n', fileURLToPath(new URL('parleyctl', DEPLOY))]);
    const service = section(await unitText('parley.service'), 'Service');
    const properties = new Map(
      [...script.matchAll(/--property=(\w+)=(\S+)/g)].map(([, key, value]) => [key!, value!]),
    );
    for (const key of [
      'DynamicUser',
      'User',
      'StateDirectory',
      'StateDirectoryMode',
      'EnvironmentFile',
      'UMask',
    ])
      expect(properties.get(key), key).toBe(service.get(key)?.[0]);
    expect(properties.get('WorkingDirectory')).toBe(
      service.get('WorkingDirectory')?.[0]?.replace('%S', '/var/lib'),
    );
    expect(script).toContain('--setenv=PARLEY_DEMO=0');
    expect(script).toMatch(/systemd-run .*--wait --pipe/);
    expect(script).toContain(`${EXECUTABLE} "$@"`);
  });
});

// Where systemd-analyze is missing, these show as skipped: not verified, rather than passed.
describe.skipIf(ANALYZE === undefined)(
  'systemd-analyze verify (skipped where systemd-analyze is not installed)',
  () => {
    let dir: string;

    /** Copies of the units in a folder of their own, with the executable they start replaced by a stub there. */
    async function copies(edit: (text: string) => string = (text) => text): Promise<string[]> {
      const stub = join(dir, 'parley');
      await writeFile(stub, '#!/bin/sh\nexit 0\n');
      await chmod(stub, 0o755);
      return Promise.all(
        UNITS.map(async (name) => {
          const path = join(dir, name);
          await writeFile(path, edit((await unitText(name)).replaceAll(EXECUTABLE, stub)));
          return path;
        }),
      );
    }

    const verify = (paths: string[]) =>
      run(ANALYZE!, ['verify', '--man=no', ...paths]).then(
        ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          output: error.stdout + error.stderr,
        }),
      );

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'parley-units-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('accepts parley.service, parley-backup.service and its timer without a warning', async () => {
      expect(await verify(await copies())).toEqual({ code: 0, output: '' });
    });

    it('would say so of a misspelt setting (the check is real)', async () => {
      const result = await verify(await copies((text) => text.replace('ProtectSystem=', 'ProtectSytem=')));
      expect(result.output).toContain("Unknown key 'ProtectSytem'");
    });
  },
);
