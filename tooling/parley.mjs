#!/usr/bin/env node
// The two commands a newcomer runs, `npm start` and `npm test`, need only Node.js 20 and npm: this script brings
// the pinned pnpm (through npx when it is not installed), installs the workspace, then builds and starts Parley
// or runs every test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PNPM = 'pnpm@10.34.9';
const command = process.argv[2];

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { TURBO_TELEMETRY_DISABLED: '1', ASTRO_TELEMETRY_DISABLED: '1', ...process.env },
    ...options,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return ['pnpm', []];
  return ['npx', ['--yes', PNPM]];
}

const [pnpm, prefix] = pnpmCommand();
const pnpmRun = (...args) => run(pnpm, [...prefix, ...args]);

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.error(`Parley needs Node.js 20 or later; this is ${process.version}.`);
  process.exit(1);
}

pnpmRun('install', '--frozen-lockfile');

if (command === 'start') {
  pnpmRun('exec', 'turbo', 'run', 'build', '--filter=@parley/server...', '--output-logs=errors-only');
  run(process.execPath, ['apps/server/dist/main.js']);
} else if (command === 'test') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (root && existsSync('/usr/bin/apt-get')) {
      console.log("Browser tests need Chromium; installing Debian's chromium package.");
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', 'chromium'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else {
      console.error(
        `Browser tests need Chromium at ${chromium}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
      process.exit(1);
    }
  }
  pnpmRun('exec', 'biome', 'check', '.');
  pnpmRun('exec', 'turbo', 'run', 'typecheck', 'test', '--output-logs=errors-only', '--concurrency=2');
} else {
  console.error('usage: node tooling/parley.mjs start|test');
  process.exit(2);
}
