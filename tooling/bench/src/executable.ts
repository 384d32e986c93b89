import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ESM_COMMAND,
  EXECUTABLE,
  EXECUTABLE_BUNDLE,
  packageUnlessFresh,
  startPackagedParley,
} from '@parley/server/testing/packaged';
import { mib, rssOf } from './process-stats.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { tempDir } from './servers.ts';

/**
 * What `pnpm package` costs against the Node-run server: the size of dist/parley, how fast each form answers
 * `/healthz` on an empty folder (for the executable: writing its files out first) and on the same folder again, and
 * its memory after a quiet spell. Each runs as an operator would run it, from its folder, with only PORT=0 and
 * ADMIN_PORT=0 set.
 */

const RUNS = 5;
const IDLE_MS = 5_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Form {
  name: string;
  /** Readies a fresh folder; returns the command and its arguments. */
  prepare: (folder: string) => [string, string[]];
}

const FORMS: Form[] = [
  {
    name: 'dist/parley (single executable)',
    prepare: (folder) => {
      copyFileSync(EXECUTABLE, join(folder, 'parley'));
      return [join(folder, 'parley'), ['serve']];
    },
  },
  {
    name: 'node dist/parley-node/parley.cjs',
    prepare: () => [process.execPath, [EXECUTABLE_BUNDLE, 'serve']],
  },
  {
    name: 'node apps/server/dist/parley.js',
    prepare: () => [process.execPath, [ESM_COMMAND, 'serve']],
  },
];

export async function runExecutable(log: (line: string) => void = console.log) {
  const finish = startResult('executable');
  packageUnlessFresh();
  if (!existsSync(ESM_COMMAND))
    throw new Error(`${ESM_COMMAND} is missing: run pnpm --filter @parley/server build`);
  const size = statSync(EXECUTABLE).size;
  const nodeSize = statSync(process.execPath).size;

  const rows: Array<Array<string | number>> = [];
  const results: Array<{ name: string; first: number[]; again: number[]; idleRss: number }> = [];
  for (const form of FORMS) {
    const first: number[] = [];
    const again: number[] = [];
    let idleRss = 0;
    const dirs: Array<ReturnType<typeof tempDir>> = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        const dir = tempDir('executable');
        dirs.push(dir);
        const [command, args] = form.prepare(dir.path);
        const parley = await startPackagedParley(command, args, dir.path);
        first.push(parley.startupMs);
        await parley.stop();
        const second = await startPackagedParley(command, args, dir.path);
        again.push(second.startupMs);
        if (i === RUNS - 1) {
          await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
          idleRss = rssOf(second.pid);
        }
        await second.stop();
      }
    } finally {
      for (const dir of dirs) dir.remove();
    }
    results.push({ name: form.name, first, again, idleRss });
    rows.push([
      form.name,
      round(median(first), 0),
      round(median(again), 0),
      again.map((x) => round(x, 0)).join(', '),
      mib(idleRss),
    ]);
  }

  log(`dist/parley: ${mib(size)} MiB (the Node binary it is made of: ${mib(nodeSize)} MiB)`);
  log('');
  log(
    table(
      [
        'form',
        'first start, empty folder (ms, median)',
        'second start (ms, median)',
        'second starts (ms)',
        `RSS after ${IDLE_MS / 1000} s idle (MiB)`,
      ],
      rows,
    ),
  );

  const executable = results[0]!;
  const verdicts: Verdict[] = [
    {
      benchmark: 'executable',
      metric: 'size of dist/parley',
      value: `${mib(size)} MiB`,
      target: '—',
      met: null,
    },
    {
      benchmark: 'executable',
      metric: 'executable: first start, writing its files (median)',
      value: `${round(median(executable.first), 0)} ms`,
      target: '≤ 1 s',
      met: median(executable.first) <= 1000,
    },
    {
      benchmark: 'executable',
      metric: 'executable: second start (median)',
      value: `${round(median(executable.again), 0)} ms`,
      target: '≤ 1 s',
      met: median(executable.again) <= 1000,
    },
    {
      benchmark: 'executable',
      metric: 'executable: RSS at idle with the demo data',
      value: `${mib(executable.idleRss)} MiB`,
      target: '≤ 120 MB',
      met: executable.idleRss <= 120e6,
    },
  ];
  return finish(verdicts, { size, nodeSize, results });
}

if (isMain(import.meta.url)) await runExecutable();
