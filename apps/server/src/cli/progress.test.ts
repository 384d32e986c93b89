import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createProgress,
  etaMs,
  type ProgressState,
  progressLine,
  renderBar,
  shortDuration,
} from './progress.ts';

/** A reporter on a collecting stream, with a clock the test moves. */
function reporter(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 81 });
  let text = '';
  stream.on('data', (chunk) => {
    text += String(chunk);
  });
  let clock = 0;
  const progress = createProgress('backup', { stream, now: () => clock });
  return {
    progress,
    advance: (ms: number) => {
      clock += ms;
    },
    text: () => text,
  };
}

const state = (overrides: Partial<ProgressState>): ProgressState => ({
  job: 'backup',
  unit: 'pages',
  done: 0,
  elapsedMs: 0,
  ...overrides,
});

describe('progress as JSON lines (not a terminal)', () => {
  it('writes a line at most every second, and a last one when done', () => {
    const { progress, advance, text } = reporter(false);
    progress.start(1000, 'pages');
    progress.tick(100);
    advance(400);
    progress.tick(100);
    advance(700);
    progress.tick(300);
    advance(200);
    progress.tick(100);
    advance(500);
    progress.set(1000);
    progress.done();
    const lines = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { job: 'backup', unit: 'pages', done: 500, total: 1000, elapsed_ms: 1100, eta_ms: 1100 },
      { job: 'backup', unit: 'pages', done: 1000, total: 1000, elapsed_ms: 1800, eta_ms: 0 },
    ]);
  });

  it('names the step, and leaves total and time left out when the total is not known', () => {
    const { progress, advance, text } = reporter(false);
    progress.start(undefined, 'bytes', 'pg_dump');
    advance(5000);
    progress.set(2048);
    progress.done();
    // The line the polled size wrote already says where the job ended: no second one.
    expect(
      text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([{ job: 'backup', step: 'pg_dump', unit: 'bytes', done: 2048, elapsed_ms: 5000 }]);
  });

  it('reports nothing after done, nor before start', () => {
    const { progress, text } = reporter(false);
    progress.tick(5);
    progress.start(2, 'items');
    progress.done();
    progress.tick(1);
    progress.done();
    expect(text().trim().split('\n')).toHaveLength(1);
  });
});

describe('progress on a terminal', () => {
  it('redraws one line in place and ends it when done', () => {
    const { progress, advance, text } = reporter(true);
    progress.start(10, 'rows', 'messages');
    advance(1000);
    progress.tick(5);
    progress.done();
    const draws = text().split('\r').filter(Boolean);
    expect(draws).toHaveLength(3);
    expect(draws.every((draw) => draw.includes('\x1b[K'))).toBe(true);
    expect(text().endsWith('\n')).toBe(true);
    expect(text().slice(0, -1)).not.toContain('\n');
    expect(draws[1]).toContain('5/10 rows');
  });

  it('draws a whole bar on a terminal that reports no size', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 0 });
    let text = '';
    stream.on('data', (chunk) => {
      text += String(chunk);
    });
    const progress = createProgress('sweep', { stream, now: () => 1000 });
    progress.start(4, 'tables');
    progress.set(4);
    progress.done();
    expect(text).toContain(`[${'#'.repeat(30)}] 4/4 tables`);
  });
});

describe('the bar', () => {
  it('shows the job, the bar, counts, rate and time left', () => {
    expect(renderBar(state({ done: 250, total: 1000, elapsedMs: 5000 }), 80)).toBe(
      'backup [########----------------------] 250/1000 pages  50/s  15s left',
    );
  });

  it('without a total: counts and rate, no bar', () => {
    expect(renderBar(state({ unit: 'bytes', done: 3_500_000, elapsedMs: 2000 }), 80)).toBe(
      'backup  3500.0k bytes  1750.0k/s',
    );
  });

  it('names the step and fits a narrow terminal', () => {
    const line = renderBar(state({ step: 'messages', done: 1, total: 4, elapsedMs: 1000 }), 40);
    expect(line.length).toBeLessThanOrEqual(40);
    expect(line).toMatch(/^backup messages/);
  });

  it('is full when done', () => {
    expect(renderBar(state({ done: 4, total: 4, elapsedMs: 1000 }), 80)).toContain(`[${'#'.repeat(30)}]`);
  });
});

describe('time left', () => {
  it.each([
    [{ done: 0, total: 10, elapsedMs: 100 }, undefined],
    [{ done: 5, elapsedMs: 100 }, undefined],
    [{ done: 5, total: 10, elapsedMs: 100 }, 100],
    [{ done: 12, total: 10, elapsedMs: 100 }, 0],
  ])('%o: %s ms', (overrides, expected) => {
    expect(etaMs(state(overrides))).toBe(expected);
  });

  it.each([
    [42_000, '42s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
  ])('%i ms reads %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });

  it('the JSON line carries the same numbers', () => {
    expect(JSON.parse(progressLine(state({ done: 5, total: 10, elapsedMs: 100 })))).toEqual({
      job: 'backup',
      unit: 'pages',
      done: 5,
      total: 10,
      elapsed_ms: 100,
      eta_ms: 100,
    });
  });
});
