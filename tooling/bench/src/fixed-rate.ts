import type { GeneratorProcess } from './load/generator-client.ts';
import type { StepResult } from './load/generator-messages.ts';
import { round } from './report.ts';

/**
 * Server CPU per delivered message at one fixed offered rate: what a message costs each server, below or at its
 * saturation, rather than how far it can be pushed. After a warm-up step that is not recorded (JIT, the store's
 * first pages, the connections' first statements), `STEPS` steps run at the same rate; the CPU of each window is
 * divided by the messages that reached an agent in it. When a server cannot deliver the rate, the figure is per
 * message it did deliver (a backlog of earlier steps included), the delivered rate says how many that was, and the
 * latency how far behind it fell.
 */

/** Offered messages per second; THROUGHPUT_FIXED_RATE overrides. */
export const FIXED_RATE = Number(process.env.THROUGHPUT_FIXED_RATE ?? 10_000);
const WARMUP = { warmupMs: 1000, measureMs: 4000, drainMs: 15_000 };
const STEP = { warmupMs: 500, measureMs: 5000, drainMs: 15_000 };
const STEPS = 3;

export interface FixedRate {
  rate: number;
  steps: StepResult[];
  /** Messages per second that reached an agent, over all recorded windows. */
  deliveredPerSec: number;
  /**
   * CPU per delivered message, µs: the server's process, the database's processes (PostgreSQL), and both; Infinity
   * when no message reached an agent in the windows.
   */
  serverUs: number;
  databaseUs: number | null;
  totalUs: number;
  /**
   * The median of the steps' percentiles, ms, and the worst step's maximum, over the messages of each step that
   * reached an agent before its drain ended; null when none did (the server had fallen that far behind).
   */
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Every message acknowledged in these steps, warm-up included. */
  acked: number;
  /** Messages sent that never reached an agent, warm-up included. */
  undelivered: number;
}

/** Milliseconds for a table: one decimal, or '—' when there is no figure. */
export const ms = (n: number | null) => (n === null ? '—' : round(n));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The unrecorded warm-up step at `rate`, then the recorded steps. */
export async function fixedRateSteps(
  generator: GeneratorProcess,
  rate: number,
): Promise<{ warmup: StepResult; steps: StepResult[] }> {
  const warmup = await generator.step(rate, WARMUP);
  const steps: StepResult[] = [];
  for (let i = 0; i < STEPS; i++) steps.push(await generator.step(rate, STEP));
  return { warmup, steps };
}

export async function measureFixedRate(
  generator: GeneratorProcess,
  log: (line: string) => void,
  rate = FIXED_RATE,
): Promise<FixedRate> {
  const { warmup, steps } = await fixedRateSteps(generator, rate);
  const delivered = steps.reduce((sum, s) => sum + s.deliveredInWindow, 0);
  const windowMs = steps.reduce((sum, s) => sum + s.windowMs, 0);
  const perMessage = (cpuMs: number) => round((cpuMs * 1000) / delivered);
  const serverUs = perMessage(steps.reduce((sum, s) => sum + (s.serverCpuMs ?? 0), 0));
  const databaseUs = steps.every((s) => s.databaseCpuMs !== null)
    ? perMessage(steps.reduce((sum, s) => sum + (s.databaseCpuMs ?? 0), 0))
    : null;
  const all = [warmup, ...steps];
  const sampled = steps.filter((s) => s.latency.count > 0);
  const result: FixedRate = {
    rate,
    steps,
    deliveredPerSec: Math.round((delivered * 1000) / windowMs),
    serverUs,
    databaseUs,
    totalUs: round(serverUs + (databaseUs ?? 0)),
    p50: sampled.length ? median(sampled.map((s) => s.latency.p50)) : null,
    p99: sampled.length ? median(sampled.map((s) => s.latency.p99)) : null,
    max: sampled.length ? Math.max(...sampled.map((s) => s.latency.max)) : null,
    acked: all.reduce((sum, s) => sum + s.acked, 0),
    undelivered: all.reduce((sum, s) => sum + s.sent - s.delivered, 0),
  };
  log(
    `  fixed ${rate}/s → delivered ${result.deliveredPerSec}/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms; ` +
      `server CPU ${serverUs} µs/msg` +
      (databaseUs === null ? '' : ` + database ${databaseUs} µs/msg = ${result.totalUs} µs/msg`) +
      ` (steps: ${steps.map((s) => `${Math.round((s.deliveredInWindow * 1000) / s.windowMs)}/s ${s.serverCpuMs}${s.databaseCpuMs === null ? '' : `+${s.databaseCpuMs}`} ms CPU`).join(', ')})` +
      (result.undelivered > 0 ? `, ${result.undelivered} undelivered` : ''),
  );
  return result;
}
