import type { GeneratorProcess } from './load/generator-client.ts';
import type { StepResult } from './load/generator-messages.ts';
import { round } from './report.ts';

/**
 * The offered rate steps up until the server stops keeping up (saturation); the peak is the best delivered rate
 * seen, then half of it is offered again to measure latency below saturation. On 2 cores the generator competes
 * with the server for CPU: both figures are recorded so it is clear which side ran out.
 */

export const RAMP_TIMING = { warmupMs: 1000, measureMs: 3000, drainMs: 15_000 };
const HALF_TIMING = { warmupMs: 1000, measureMs: 5000, drainMs: 15_000 };
/**
 * Idle time between the ramp and the half-peak step. The ramp ends in overload, with a backlog that can take seconds
 * to drain; half of peak is meant to show latency under steady load, not while the server recovers from that.
 */
const SETTLE_MS = 5000;

export interface RampSteps {
  startRate: number;
  stepRate: number;
  /** The most the load may offer (Parley's per-socket rate limit), or null. */
  ceiling: number | null;
}

export interface Ramp {
  steps: StepResult[];
  peak: StepResult;
  half: StepResult;
  /** Which process ran out of CPU at the peak. */
  saturated: string;
}

export const pct = (cpuMs: number | null, windowMs: number) =>
  cpuMs === null ? null : Math.round((cpuMs / windowMs) * 100);

function saturatedSide(step: StepResult, ceiling: number | null): string {
  const server = pct(step.serverCpuMs, step.windowMs) ?? 0;
  const generator = pct(step.generatorCpuMs, step.windowMs) ?? 0;
  const database = pct(step.databaseCpuMs, step.windowMs);
  const also = database === null ? '' : `, database ${database}%`;
  if (ceiling !== null && step.rate >= ceiling && step.deliveredPerSec >= step.rate * 0.95)
    return `neither: reached the per-socket rate limit (server ${server}% CPU, generator ${generator}%${also})`;
  const label = server >= generator ? 'server' : 'generator';
  return `${label} (server ${server}% of a core, generator ${generator}%${also})`;
}

function keptUp(step: StepResult): boolean {
  return (
    step.deliveredPerSec >= step.rate * 0.95 &&
    step.delivered === step.sent &&
    step.latency.p99 < 1000 &&
    Object.keys(step.errors).length === 0
  );
}

export async function rampToPeak(
  generator: GeneratorProcess,
  options: RampSteps,
  log: (line: string) => void,
): Promise<Ramp> {
  const steps: StepResult[] = [];
  for (let rate = options.startRate; ; rate += options.stepRate) {
    const capped = options.ceiling === null ? rate : Math.min(rate, options.ceiling);
    const step = await generator.step(capped, RAMP_TIMING);
    steps.push(step);
    log(
      `  offered ${step.rate}/s → delivered ${step.deliveredPerSec}/s, p50 ${round(step.latency.p50)} ms, p99 ${round(step.latency.p99)} ms, ` +
        `server ${pct(step.serverCpuMs, step.windowMs)}% / generator ${pct(step.generatorCpuMs, step.windowMs)}%` +
        (step.databaseCpuMs === null ? '' : ` / database ${pct(step.databaseCpuMs, step.windowMs)}%`) +
        ' CPU' +
        (Object.keys(step.errors).length ? `, errors ${JSON.stringify(step.errors)}` : '') +
        (step.delivered < step.sent ? `, ${step.sent - step.delivered} undelivered` : ''),
    );
    if (!keptUp(step) || capped === options.ceiling) break;
  }
  const peak = steps.reduce((best, s) => (s.deliveredPerSec > best.deliveredPerSec ? s : best));
  const halfRate = Math.round(peak.deliveredPerSec / 2);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const half = await generator.step(halfRate, HALF_TIMING);
  log(
    `  half of peak ${halfRate}/s → p50 ${round(half.latency.p50)} ms, p99 ${round(half.latency.p99)} ms, max ${round(half.latency.max)} ms`,
  );
  return { steps, peak, half, saturated: saturatedSide(peak, options.ceiling) };
}
