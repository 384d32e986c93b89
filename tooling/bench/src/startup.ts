import { mib, rssOf } from './process-stats.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { startParley, tempDir } from './servers.ts';

/**
 * how fast `node apps/server/dist/main.js` answers `/healthz`, on a fresh data directory (it
 * creates and migrates the database and the demo account) and on an existing one, and how much memory the server
 * holds at idle with the demo data.
 */

const RUNS = 5;
const IDLE_MS = 5_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runStartup(log: (line: string) => void = console.log) {
  const finish = startResult('startup');
  const fresh: number[] = [];
  const existing: number[] = [];
  let idle = { afterStart: 0, afterIdle: 0, afterPages: 0 };
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = tempDir('startup');
      dirs.push(dir);
      const server = await startParley(dir.path);
      fresh.push(server.startupMs);
      await server.stop();
    }
    for (let i = 0; i < RUNS; i++) {
      const server = await startParley(dirs[i]!.path);
      existing.push(server.startupMs);
      if (i === RUNS - 1) {
        // Idle with the demo data: right after start, after a quiet spell, then after the pages a first visitor
        // and agent load (demo page, widget, dashboard, policy).
        const afterStart = rssOf(server.pid);
        await new Promise((r) => setTimeout(r, IDLE_MS));
        const afterIdle = rssOf(server.pid);
        for (const path of ['/demo', '/widget.js', '/widget/chat.js', '/app', '/privacy', '/healthz'])
          await (await fetch(`${server.baseUrl}${path}`)).arrayBuffer();
        await new Promise((r) => setTimeout(r, 1_000));
        idle = { afterStart, afterIdle, afterPages: rssOf(server.pid) };
      }
      await server.stop();
    }
  } finally {
    for (const dir of dirs) dir.remove();
  }

  log(
    table(
      ['measure', 'median', 'min', 'max', 'runs'],
      [
        [
          'cold start to /healthz 200, fresh data dir (ms)',
          round(median(fresh)),
          round(Math.min(...fresh)),
          round(Math.max(...fresh)),
          fresh.map((x) => round(x, 0)).join(', '),
        ],
        [
          'cold start to /healthz 200, existing data dir (ms)',
          round(median(existing)),
          round(Math.min(...existing)),
          round(Math.max(...existing)),
          existing.map((x) => round(x, 0)).join(', '),
        ],
      ],
    ),
  );
  log('');
  log(
    `server RSS with the demo data: ${mib(idle.afterStart)} MiB right after start, ${mib(idle.afterIdle)} MiB after ${IDLE_MS / 1000} s idle, ` +
      `${mib(idle.afterPages)} MiB after serving /demo, widget.js, chat.js, /app and /privacy once`,
  );

  const worstStart = Math.max(...fresh, ...existing);
  const rss = Math.max(idle.afterIdle, idle.afterPages);
  const verdicts: Verdict[] = [
    {
      benchmark: 'startup',
      metric: 'cold start to /healthz, fresh dir (median)',
      value: `${round(median(fresh), 0)} ms`,
      target: '≤ 1 s',
      met: median(fresh) <= 1000,
    },
    {
      benchmark: 'startup',
      metric: 'cold start to /healthz, existing dir (median)',
      value: `${round(median(existing), 0)} ms`,
      target: '≤ 1 s',
      met: median(existing) <= 1000,
    },
    {
      benchmark: 'startup',
      metric: 'slowest of all starts',
      value: `${round(worstStart, 0)} ms`,
      target: '≤ 1 s',
      met: worstStart <= 1000,
    },
    {
      benchmark: 'startup',
      metric: 'server RSS at idle with the demo data',
      value: `${mib(rss)} MiB`,
      target: '≤ 120 MB',
      met: rss <= 120e6,
    },
  ];
  return finish(verdicts, { fresh, existing, idle });
}

if (isMain(import.meta.url)) await runStartup();
