#!/usr/bin/env node
// The two commands a newcomer runs, `npm start` and `npm test`, need only Node.js 20 and npm: this script brings
// the pinned pnpm (through npx when it is not installed), installs the workspace, then builds and starts Parley
// or runs every test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

const PNPM = 'pnpm@10.34.9';
const command = process.argv[2];

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];

/** How often the script checks that whoever started it (npm) is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Runs a command to its end and exits with its failure. A signal sent to this script (`kill`, a service manager's
 * stop, Ctrl-C) is passed on to the command, and the script waits for it to finish cleanly: it never leaves a
 * server running without a parent. npm does not wait for its script when it is sent SIGTERM, and the shell between
 * them passes nothing on, so the script also treats losing its parent as SIGTERM.
 */
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: 'inherit',
      env: { TURBO_TELEMETRY_DISABLED: '1', ASTRO_TELEMETRY_DISABLED: '1', ...process.env },
      ...options,
    });
    const forward = (signal) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(orphaned);
      forward('SIGTERM');
    }, PARENT_CHECK_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(orphaned);
      for (const name of FORWARDED_SIGNALS) process.off(name, forward);
      if (code === 0) resolve();
      else process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return ['pnpm', []];
  return ['npx', ['--yes', PNPM]];
}

const [pnpm, prefix] = pnpmCommand();
const pnpmRun = (...args) => run(pnpm, [...prefix, ...args]);
const serve = () => run(process.execPath, ['apps/server/dist/main.js']);

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.error(`Parley needs Node.js 20 or later; this is ${process.version}.`);
  process.exit(1);
}

if (command === 'serve') {
  // The built server alone, for when `start` has installed and built it already.
  await serve();
  process.exit(0);
}

await pnpmRun('install', '--frozen-lockfile');

if (command === 'start') {
  await pnpmRun('exec', 'turbo', 'run', 'build', '--filter=@parley/server...', '--output-logs=errors-only');
  await serve();
} else if (command === 'test') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (root && existsSync('/usr/bin/apt-get')) {
      console.log("Browser tests need Chromium; installing Debian's chromium package.");
      await run('apt-get', ['update', '-qq']);
      await run('apt-get', ['install', '-y', '-qq', 'chromium'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else {
      console.error(
        `Browser tests need Chromium at ${chromium}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
      process.exit(1);
    }
  }
  await pnpmRun('exec', 'biome', 'check', '.');
  await pnpmRun('exec', 'turbo', 'run', 'typecheck', 'test', '--output-logs=errors-only', '--concurrency=2');
} else {
  console.error('usage: node tooling/parley.mjs start|serve|test');
  process.exit(2);
}
