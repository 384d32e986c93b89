import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, type Machine } from './machine.ts';

/** Where each benchmark leaves its figures as JSON (git-ignored), for `run-all` to summarise. */
export const RESULTS_DIR = fileURLToPath(new URL('../bench-results/', import.meta.url));

/** One line of the summary table: a figure, its target and whether it was met. */
export interface Verdict {
  benchmark: string;
  metric: string;
  value: string;
  target: string;
  met: boolean | null;
}

export interface BenchResult {
  name: string;
  machine: Machine;
  /** 1-minute load average when the benchmark started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number; end: number };
  verdicts: Verdict[];
  details: unknown;
}

export function startResult(name: string) {
  const startLoad = os.loadavg()[0]!;
  return (verdicts: Verdict[], details: unknown): BenchResult => {
    const result: BenchResult = {
      name,
      machine: describeMachine(),
      loadAverage: { start: round(startLoad, 2), end: round(os.loadavg()[0]!, 2) },
      verdicts,
      details,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  };
}

export function readResult(name: string): BenchResult | null {
  try {
    return JSON.parse(readFileSync(`${RESULTS_DIR}${name}.json`, 'utf8')) as BenchResult;
  } catch {
    return null;
  }
}

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** A plain Markdown table, which reads well in a terminal and pastes straight into BENCHMARKS.md. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(cells[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function verdictTable(verdicts: Verdict[]): string {
  return table(
    ['benchmark', 'metric', 'value', 'target', 'met'],
    verdicts.map((v) => [
      v.benchmark,
      v.metric,
      v.value,
      v.target,
      v.met === null ? '—' : v.met ? 'yes' : 'NO',
    ]),
  );
}

/** True when this module is the script node was asked to run (each benchmark can also run alone). */
export const isMain = (url: string): boolean =>
  process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
