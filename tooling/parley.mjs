#!/usr/bin/env node
// The commands a newcomer runs, `npm start`, `npm test` and `npm run package`, need only Node.js 20 and npm: this
// script brings the pinned pnpm (through npx when it is not installed), installs the workspace, then builds and
// starts Parley, runs every test or builds the single executable.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';

const PNPM = 'pnpm@10.34.9';
const command = process.argv[2];

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];

/** How often the script checks that whoever started it (npm) is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Runs a command to its end and hands back its exit code (128 + the signal's number if a signal ended it). A signal
 * sent to this script (`kill`, a service manager's stop, Ctrl-C) is passed on to the command, and the script waits
 * for it to finish cleanly: it never leaves a server running without a parent. npm does not wait for its script when
 * it is sent SIGTERM, and the shell between them passes nothing on, so the script also treats losing its parent as
 * SIGTERM.
 */
function attempt(cmd, args, options = {}) {
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
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}

/** Runs a command like `attempt`, and exits with its code if it failed. */
async function run(cmd, args, options = {}) {
  const code = await attempt(cmd, args, options);
  if (code !== 0) process.exit(code);
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

/** Where each workspace package's test run leaves vitest's JSON report (turbo restores it from its cache too). */
const TEST_REPORT = 'test-results/vitest.json';

function workspacePackages() {
  return ['apps', 'packages', 'tooling'].flatMap((group) =>
    readdirSync(group, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(group, entry.name, 'package.json')))
      .map((entry) => join(group, entry.name)),
  );
}

/**
 * Lint, type-check and every package's tests, each run to the end even when an earlier one fails, then one summary
 * line: the tests that passed and failed, a lint or type error, or a package whose tests could not run, counting
 * as one failure each.
 */
async function runTests() {
  const withTests = workspacePackages().filter((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof manifest.scripts?.test === 'string';
  });
  for (const dir of withTests) rmSync(join(dir, TEST_REPORT), { force: true });

  /** Failures that are not a failed test: each counts as one. */
  const broken = [];
  /** Which packages had failed tests, for the lines above the summary. */
  const failing = [];
  if ((await attempt(pnpm, [...prefix, 'exec', 'biome', 'check', '.'])) !== 0)
    broken.push('lint (biome check) failed');
  const turbo = ['exec', 'turbo', 'run', '--continue', '--output-logs=errors-only', '--concurrency=2'];
  if ((await attempt(pnpm, [...prefix, ...turbo, 'typecheck'])) !== 0) broken.push('typecheck failed');
  const reporter = ['--reporter=default', '--reporter=json', `--outputFile.json=${TEST_REPORT}`];
  const testsExit = await attempt(pnpm, [...prefix, ...turbo, 'test', '--', ...reporter]);

  let passed = 0;
  let failed = 0;
  for (const dir of withTests) {
    const report = join(dir, TEST_REPORT);
    if (!existsSync(report)) {
      broken.push(`${dir}: its tests did not run`);
      continue;
    }
    const results = JSON.parse(readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    if (results.numFailedTests > 0) failing.push(`${dir}: ${results.numFailedTests} failed`);
    // A test file that cannot even load fails without a failed test in it.
    for (const file of results.testResults)
      if (file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'))
        broken.push(`${relative(process.cwd(), file.name)}: could not be loaded`);
  }
  if (testsExit !== 0 && broken.length === 0 && failed === 0) broken.push('the test run failed');
  for (const line of [...failing, ...broken]) console.log(`  ${line}`);
  console.log(`${passed} passed, ${failed + broken.length} failed`);
  process.exit(failed + broken.length > 0 ? 1 : 0);
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
  await runTests();
} else if (command === 'package') {
  // `npm run package` on a fresh clone, or `pnpm package`: the single executable in one command. Options such as
  // `--node PATH` go to the package step.
  await pnpmRun('exec', 'turbo', 'run', 'build', '--filter=@parley/server...', '--output-logs=errors-only');
  await pnpmRun('--filter', '@parley/server', 'package', ...process.argv.slice(3));
} else {
  console.error('usage: node tooling/parley.mjs start|serve|test|package');
  process.exit(2);
}
