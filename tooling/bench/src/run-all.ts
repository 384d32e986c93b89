import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineLine } from './machine.ts';
import { readResult, type Verdict, verdictTable } from './report.ts';
import { TSX_EXEC_ARGV } from './servers.ts';

/**
 * Runs every benchmark, one after another, each in a fresh Node process (so one's heap and open sockets cannot
 * weigh on the next), then prints one table of figures against their targets.
 */

const BENCHMARKS = [
  'widget-weight',
  'throughput',
  'cluster',
  'idle-sockets',
  'startup',
  'privacy-at-scale',
  'search',
  'upload',
  'executable',
] as const;

const only = process.argv.slice(2);
const chosen = only.length > 0 ? BENCHMARKS.filter((name) => only.includes(name)) : BENCHMARKS;

console.log(`Parley benchmarks on ${machineLine()}`);
const failed: string[] = [];
for (const name of chosen) {
  console.log(`\n=== ${name} ${'='.repeat(Math.max(0, 100 - name.length))}`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [...TSX_EXEC_ARGV, fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
  console.log(`(${name}: ${Math.round((Date.now() - started) / 1000)} s)`);
  if (run.status !== 0) failed.push(name);
}

const verdicts: Verdict[] = [];
const loads: string[] = [];
for (const name of chosen) {
  const result = readResult(name);
  if (!result || failed.includes(name)) {
    verdicts.push({
      benchmark: name,
      metric: 'benchmark did not complete',
      value: '—',
      target: '—',
      met: false,
    });
    continue;
  }
  verdicts.push(...result.verdicts);
  loads.push(`${name} ${result.loadAverage.start}→${result.loadAverage.end}`);
}
console.log(`\n=== summary ${'='.repeat(92)}`);
console.log(verdictTable(verdicts));
console.log(`\n1-minute load average at start→end of each benchmark (2 cores): ${loads.join(', ')}`);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
