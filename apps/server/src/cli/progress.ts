/**
 * How a long `parley` command (backup, restore, sweep, store-copy, export) shows how far it is. On a terminal: one
 * line redrawn in place, a bar with counts, rate and time left. Otherwise (a pipe, a journal, CI): a JSON line at most
 * every second and a last one when done. Both go to standard error, so that what a command prints on standard output
 * (a report, an export) stays as it was. Counts only, never what is being counted.
 */
export interface Progress {
  /** Begins a job, or its next step (`step`, such as the table being copied): `total` units, if known. */
  start(total: number | undefined, unit: string, step?: string): void;
  /** `n` more units done. */
  tick(n?: number): void;
  /** So many units done in all (a file's size polled as it grows). */
  set(done: number): void;
  /** The job, or its step, is finished: the last redraw or the last JSON line. */
  done(): void;
}

/** What the reporter knows at a moment; the bar and the JSON line are both made from it. */
export interface ProgressState {
  job: string;
  step?: string;
  unit: string;
  done: number;
  total?: number;
  elapsedMs: number;
}

export interface ProgressOptions {
  /** Standard error unless a test collects the output. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  now?: () => number;
}

/** Time left, from the rate so far; unknown without a total or before anything was done. */
export function etaMs(state: ProgressState): number | undefined {
  if (state.total === undefined || state.done <= 0 || state.elapsedMs <= 0) return undefined;
  const left = Math.max(0, state.total - state.done);
  return Math.round((left * state.elapsedMs) / state.done);
}

/** A duration as a person reads it on a bar: 42s, 3m05s, 1h02m. */
export function shortDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** A count as a person reads it on a bar: 950, 12.3k, 4.5M. */
function shortCount(n: number): string {
  if (n < 10_000) return String(Math.round(n));
  if (n < 10_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The terminal's line: the job, a bar when the total is known, counts, rate and time left, cut to `width`. */
export function renderBar(state: ProgressState, width = 80): string {
  const label = state.step ? `${state.job} ${state.step}` : state.job;
  const counts =
    state.total === undefined
      ? `${shortCount(state.done)} ${state.unit}`
      : `${shortCount(state.done)}/${shortCount(state.total)} ${state.unit}`;
  const rate = state.elapsedMs > 0 ? `${shortCount((state.done * 1000) / state.elapsedMs)}/s` : '';
  const eta = etaMs(state);
  const tail = [counts, rate, eta === undefined ? '' : `${shortDuration(eta)} left`]
    .filter(Boolean)
    .join('  ');
  if (state.total === undefined || state.total <= 0) return `${label}  ${tail}`.slice(0, width);
  const room = width - label.length - tail.length - 6;
  const barWidth = Math.min(30, room);
  if (barWidth < 5) return `${label}  ${tail}`.slice(0, width);
  const filled = Math.round(barWidth * Math.min(1, state.done / state.total));
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${tail}`.slice(0, width);
}

/** The JSON line of a state: `{"job","step"?,"unit","done","total"?,"elapsed_ms","eta_ms"?}`. */
export function progressLine(state: ProgressState): string {
  const eta = etaMs(state);
  return JSON.stringify({
    job: state.job,
    ...(state.step === undefined ? {} : { step: state.step }),
    unit: state.unit,
    done: state.done,
    ...(state.total === undefined ? {} : { total: state.total }),
    elapsed_ms: state.elapsedMs,
    ...(eta === undefined ? {} : { eta_ms: eta }),
  });
}

/**
 * The bar's width: one less than the terminal's, so that the cursor never wraps; 80 columns when the terminal does
 * not say (a pseudo-terminal without a size reports 0).
 */
const lineWidth = (columns: number | undefined): number => (columns && columns > 20 ? columns : 80) - 1;

/** A JSON line at most this often, so that a journal gets a steady trickle, not a flood. */
const JSON_EVERY_MS = 1000;
/** The bar is redrawn at most this often: a terminal shows no more, and each redraw is a write. */
const REDRAW_EVERY_MS = 100;

/** A reporter for `job`: the bar on a terminal, JSON lines otherwise. */
export function createProgress(job: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const onTerminal = stream.isTTY === true;
  const every = onTerminal ? REDRAW_EVERY_MS : JSON_EVERY_MS;
  let state: ProgressState = { job, unit: '', done: 0, elapsedMs: 0 };
  let startedAt = now();
  let shownAt = Number.NEGATIVE_INFINITY;
  let active = false;
  let lastLine = '';

  const show = (final: boolean) => {
    const at = now();
    state = { ...state, elapsedMs: Math.round(at - startedAt) };
    if (!final && at - shownAt < every) return;
    shownAt = at;
    if (onTerminal) {
      stream.write(`\r${renderBar(state, lineWidth(stream.columns))}\x1b[K${final ? '\n' : ''}`);
      return;
    }
    const line = progressLine(state);
    // The last line says where the job ended; it is not written twice when the one before already said so.
    if (final && line === lastLine) return;
    lastLine = line;
    stream.write(`${line}\n`);
  };

  return {
    start(total, unit, step) {
      startedAt = now();
      // The first JSON line comes a second into the step; the bar shows at once.
      shownAt = onTerminal ? Number.NEGATIVE_INFINITY : startedAt;
      active = true;
      state = {
        job,
        unit,
        done: 0,
        elapsedMs: 0,
        ...(step === undefined ? {} : { step }),
        ...(total === undefined ? {} : { total }),
      };
      if (onTerminal) show(false);
    },
    tick(n = 1) {
      if (!active) return;
      state = { ...state, done: state.done + n };
      show(false);
    },
    set(done) {
      if (!active) return;
      state = { ...state, done };
      show(false);
    },
    done() {
      if (!active) return;
      active = false;
      show(true);
    },
  };
}

/** For callers that report to nobody (tests, a library call). */
export const noProgress: Progress = { start() {}, tick() {}, set() {}, done() {} };
