import { type FixedRate, ms } from './fixed-rate.ts';
import type { Ramp } from './ramp.ts';
import { round, table, type Verdict } from './report.ts';

/** The tables and target checks of `throughput.ts`, from the series it measured. */

export const SERVER_KEYS = ['sqlite', 'postgres', 'bare', 'socketio', 'unstored'] as const;
export type ServerKey = (typeof SERVER_KEYS)[number];

export interface Series {
  name: string;
  fixed: FixedRate;
  /** Null when the ramp was left out (THROUGHPUT_RAMP=0). */
  ramp: Ramp | null;
  setupMs: number;
  errorsAtSetup: Record<string, number>;
  /** Parley: messages it acknowledged, and visitor messages counted in its store after it stopped. */
  stored: { acknowledged: number; persisted: number } | null;
}

/** One run: each server measured. */
export type Run = Partial<Record<ServerKey, Series>>;

/** Server CPU per message at the fixed rate with Parley on SQLite; the reference (89 µs) plus 5 µs. */
const SQLITE_CPU_TARGET_US = 94;
/** What was measured at 10,000 msg/s before the store ran on PostgreSQL, µs of server CPU per message. */
const REFERENCE_US: Partial<Record<ServerKey, number>> = { sqlite: 89, unstored: 53, socketio: 64, bare: 37 };

/** µs per message for a table: ∞ when nothing was delivered in the windows, — when there is no such figure. */
const us = (n: number | null) => (n === null ? '—' : Number.isFinite(n) ? n : '∞');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seriesOf = (run: Run) => SERVER_KEYS.flatMap((key) => (run[key] ? [run[key]] : []));

/** The tables of one run: the fixed rate, and the ramp when there was one. */
export function runTables(run: Run): string {
  const series = seriesOf(run);
  const fixed = table(
    [
      'server',
      'offered msg/s',
      'delivered msg/s',
      'p50 / p99 / max (ms)',
      'server CPU µs/msg',
      'database CPU µs/msg',
      'total µs/msg',
      'undelivered after drains',
    ],
    series.map((s) => [
      s.name,
      s.fixed.rate,
      s.fixed.deliveredPerSec,
      `${ms(s.fixed.p50)} / ${ms(s.fixed.p99)} / ${ms(s.fixed.max)}`,
      us(s.fixed.serverUs),
      us(s.fixed.databaseUs),
      us(s.fixed.totalUs),
      s.fixed.undelivered,
    ]),
  );
  const ramped = series.flatMap((s) => (s.ramp ? [{ name: s.name, ramp: s.ramp }] : []));
  if (ramped.length === 0) return fixed;
  const ramp = table(
    [
      'server',
      'peak delivered msg/s',
      'at offered',
      'p50 / p99 at peak (ms)',
      'half-peak p50 / p99 / max (ms)',
      'server CPU at peak',
      'generator CPU at peak',
      'saturated',
    ],
    ramped.map(({ name, ramp: r }) => [
      name,
      r.peak.deliveredPerSec,
      r.peak.rate,
      `${ms(r.peak.latency.p50)} / ${ms(r.peak.latency.p99)}`,
      `${ms(r.half.latency.p50)} / ${ms(r.half.latency.p99)} / ${ms(r.half.latency.max)}`,
      `${r.peak.serverCpuMs} ms / ${r.peak.windowMs} ms`,
      `${r.peak.generatorCpuMs} ms / ${r.peak.windowMs} ms`,
      r.saturated,
    ]),
  );
  return `${fixed}\n\n${ramp}`;
}

/** Every run's series of one server, when every run measured it. */
function across(results: Run[], key: ServerKey): Series[] | null {
  const all = results.map((r) => r[key]);
  return all.every((s) => s !== undefined) ? (all as Series[]) : null;
}

function fixedRateSummary(results: Run[]): { lines: string[]; verdicts: Verdict[] } {
  const rows: Array<Array<string | number>> = [];
  const verdicts: Verdict[] = [];
  for (const key of SERVER_KEYS) {
    const runs = across(results, key);
    if (!runs) continue;
    const total = median(runs.map((s) => s.fixed.totalUs));
    const server = median(runs.map((s) => s.fixed.serverUs));
    const database = runs[0]!.fixed.databaseUs === null ? null : median(runs.map((s) => s.fixed.databaseUs!));
    const delivered = median(runs.map((s) => s.fixed.deliveredPerSec));
    const p99s = runs.flatMap((s) => (s.fixed.p99 === null ? [] : [s.fixed.p99]));
    const p99 = p99s.length ? median(p99s) : null;
    const rate = runs[0]!.fixed.rate;
    rows.push([
      runs[0]!.name,
      runs.map((s) => us(s.fixed.totalUs)).join(', '),
      us(server),
      us(database),
      us(total),
      REFERENCE_US[key] ?? '—',
      delivered,
      ms(p99),
    ]);
    const split = database === null ? '' : ` (server ${us(server)} + database ${us(database)} µs)`;
    const checked = key === 'sqlite' && rate === 10_000;
    verdicts.push({
      benchmark: 'throughput',
      metric: `${runs[0]!.name}: CPU per delivered message at ${rate} msg/s (median of ${runs.length})`,
      value: `${us(total)} µs${split}; delivered ${delivered}/s, p99 ${ms(p99)} ms`,
      target: checked ? `≤ ${SQLITE_CPU_TARGET_US} µs` : '—',
      met: checked ? total <= SQLITE_CPU_TARGET_US : null,
    });
  }
  const lines = [
    table(
      [
        `at a fixed rate`,
        'total µs/msg per run',
        'server µs/msg (median)',
        'database µs/msg (median)',
        'total µs/msg (median)',
        'before (µs/msg)',
        'delivered msg/s (median)',
        'p99 ms (median)',
      ],
      rows,
    ),
  ];
  return { lines, verdicts };
}

function rampSummary(results: Run[], rampCeiling: number): { lines: string[]; verdicts: Verdict[] } {
  const peaks = (key: ServerKey) => {
    const runs = across(results, key);
    return runs?.every((s) => s.ramp) ? runs.map((s) => s.ramp!) : null;
  };
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const rows: Array<Array<string | number>> = [];
  const medianPeak: Partial<Record<ServerKey, number>> = {};
  for (const key of SERVER_KEYS) {
    const ramps = peaks(key);
    if (!ramps) continue;
    const name = across(results, key)![0]!.name;
    const peak = median(ramps.map((r) => r.peak.deliveredPerSec));
    medianPeak[key] = peak;
    rows.push([
      name,
      ...ramps.map((r) => r.peak.deliveredPerSec),
      peak,
      ramps.map((r) => ms(r.half.latency.p99)).join(', '),
    ]);
    verdicts.push({
      benchmark: 'throughput',
      metric: `${name} peak delivered msg/s (median)${key === 'unstored' ? '; a bound' : ''}`,
      value: String(peak),
      target: '—',
      met: null,
    });
  }
  if (rows.length === 0) return { lines, verdicts };
  lines.push(
    table(
      ['server', ...results.map((_, i) => `run ${i + 1} peak msg/s`), 'median', 'half-peak p99 per run (ms)'],
      rows,
    ),
  );
  const { sqlite, bare, socketio, unstored } = medianPeak;
  if (sqlite !== undefined && bare !== undefined && socketio !== undefined) {
    const vsBare = sqlite / bare;
    const vsIo = sqlite / socketio;
    const halfP99 = median(peaks('sqlite')!.map((r) => r.half.latency.p99));
    lines.push(
      `Parley on SQLite / bare ws relay: ${round(vsBare, 2)}×   / Socket.IO relay: ${round(vsIo, 2)}× (medians)`,
    );
    verdicts.push(
      {
        benchmark: 'throughput',
        metric: 'Parley on SQLite / bare ws relay',
        value: `${round(vsBare, 2)}×`,
        target: '≥ 0.7×',
        met: vsBare >= 0.7,
      },
      {
        benchmark: 'throughput',
        metric: 'Parley on SQLite / Socket.IO relay',
        value: `${round(vsIo, 2)}×`,
        target: '≥ 1.3×',
        met: vsIo >= 1.3,
      },
      {
        benchmark: 'throughput',
        metric: 'Parley on SQLite p99 at half of peak (median)',
        value: `${ms(halfP99)} ms`,
        target: '≤ 20 ms',
        met: halfP99 <= 20,
      },
    );
    if (unstored !== undefined)
      lines.push(
        `Parley without storage / bare ws relay: ${round(unstored / bare, 2)}×   / Socket.IO relay: ${round(unstored / socketio, 2)}× (medians; ` +
          `no way of storing messages can do better than this on this machine, and the per-socket rate limit caps this load at ${rampCeiling} msg/s)`,
      );
  }
  return { lines, verdicts };
}

function persistenceVerdicts(results: Run[]): Verdict[] {
  return (['sqlite', 'postgres'] as const).flatMap((key) => {
    const runs = across(results, key);
    if (!runs) return [];
    const acknowledged = runs.reduce((n, s) => n + (s.stored?.acknowledged ?? 0), 0);
    const persisted = runs.reduce((n, s) => n + (s.stored?.persisted ?? 0), 0);
    return [
      {
        benchmark: 'throughput',
        metric: `${runs[0]!.name}: acknowledged messages in the store afterwards`,
        value: `${persisted} / ${acknowledged}`,
        target: 'all',
        met: persisted >= acknowledged,
      },
    ];
  });
}

/** The medians over all runs, as lines to print and as verdicts. */
export function summarize(results: Run[], options: { rampCeiling: number }) {
  const fixed = fixedRateSummary(results);
  const ramp = rampSummary(results, options.rampCeiling);
  return {
    lines: [...fixed.lines, '', ...ramp.lines],
    verdicts: [...fixed.verdicts, ...ramp.verdicts, ...persistenceVerdicts(results)],
  };
}
