import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkpoint, closeDatabase, eraseVisitor, migrate, openDatabase, sweepRetention } from '@parley/db';
import { countMessagesClosedBy, insertConversations } from '@parley/db/bench';
import { createApp, loadSecrets, silentLogger, startServer } from '@parley/server';
import { createBenchAccounts } from './fill-database.ts';
import { GeneratorProcess } from './load/generator-client.ts';
import type { StepResult } from './load/generator-messages.ts';
import { signIn } from './parley-fixture.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { tempDir } from './servers.ts';

/**
 * Privacy operations on a large database.
 *
 * Erasure: one visitor with 10,000 messages is erased (RET-4) from a file-backed database that also holds 100,000
 * messages of other visitors; `eraseVisitor` is timed whole, including its WAL checkpoint.
 *
 * Retention: 1,000,000 messages in conversations that closed two years ago (the policy keeps them one year) are
 * swept (RET-3) while chat goes on. The sweep runs in the chat server's own process, on the server's own database
 * connection, exactly as the server's retention timer runs it: the server is started in this process with
 * `createApp` and the load generator (its own process) drives visitors and agents over real WebSockets. Chat
 * latency during the sweep is compared with the same load without it.
 */

const ERASE_MESSAGES = 10_000;
const ERASE_RUNS = 5;
const OTHER_VISITORS = 1_000;
const OTHER_MESSAGES = 100;
const EXPIRED_CONVERSATIONS = 10_000;
const EXPIRED_PER_CONVERSATION = 100;
const CHAT_ACCOUNTS = 10;
const CHAT_VISITORS_PER_ACCOUNT = 50;
const CHAT_RATE = 1_000;
const BASELINE_MS = 10_000;
const DAY = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measureErasure(log: (line: string) => void) {
  const dir = tempDir('erase');
  const db = openDatabase(join(dir.path, 'parley.db'));
  try {
    await migrate(db);
    const [account] = await createBenchAccounts(db, 1, 'erase');
    const now = Date.now();
    await insertConversations(db, {
      accountId: account!.accountId,
      visitors: OTHER_VISITORS,
      messagesPerVisitor: OTHER_MESSAGES,
      closedAt: null,
      lastSeenAt: now,
    });
    const targets = await insertConversations(db, {
      accountId: account!.accountId,
      visitors: ERASE_RUNS,
      messagesPerVisitor: ERASE_MESSAGES,
      closedAt: null,
      lastSeenAt: now,
    });
    await checkpoint(db);
    const times: number[] = [];
    for (const visitorId of targets) {
      const started = performance.now();
      const { counts } = await eraseVisitor(db, {
        accountId: account!.accountId,
        visitorId,
        reason: 'request',
        actor: { kind: 'system' },
      });
      times.push(performance.now() - started);
      if (counts.messages !== ERASE_MESSAGES)
        throw new Error(`erasure removed ${counts.messages} messages, not ${ERASE_MESSAGES}`);
    }
    log(
      `erasing one visitor with ${ERASE_MESSAGES} messages (${OTHER_VISITORS * OTHER_MESSAGES} other messages in the file): ${times.map((t) => round(t)).join(', ')} ms`,
    );
    return times;
  } finally {
    await closeDatabase(db);
    dir.remove();
  }
}

async function measureSweep(log: (line: string) => void) {
  const dir = tempDir('sweep');
  const db = openDatabase(join(dir.path, 'parley.db'));
  await migrate(db);
  const accounts = await createBenchAccounts(db, CHAT_ACCOUNTS, 'sweep');
  const [archive] = await createBenchAccounts(db, 1, 'archive');
  const longAgo = Date.now() - 2 * 365 * DAY;
  const fillStarted = performance.now();
  await insertConversations(db, {
    accountId: archive!.accountId,
    visitors: EXPIRED_CONVERSATIONS,
    messagesPerVisitor: EXPIRED_PER_CONVERSATION,
    closedAt: longAgo,
    lastSeenAt: longAgo,
  });
  const fillMs = performance.now() - fillStarted;
  await checkpoint(db);
  const expiredBefore = await countMessagesClosedBy(db, longAgo);
  log(
    `inserted ${expiredBefore} expired messages in ${round(fillMs / 1000)} s (one transaction, prepared statements)`,
  );

  const parley = createApp({ db, secrets: await loadSecrets(db), log: silentLogger });
  const running = await startServer(parley, { host: '127.0.0.1', port: 0 });
  const generator = new GeneratorProcess();
  try {
    const agents = [];
    for (const account of accounts) {
      const cookie = await signIn(running.url, account);
      agents.push({
        publicKey: account.publicKey,
        agentPath: '/ws/agent',
        agentHeaders: { cookie, origin: running.url },
      });
    }
    await generator.setup({
      name: 'Parley',
      transport: 'ws',
      baseUrl: running.url,
      accounts: agents,
      visitorsPerAccount: CHAT_VISITORS_PER_ACCOUNT,
      visitorHeaders: { origin: 'https://customer.example' },
      serverPid: process.pid,
    });
    const without = await generator.step(CHAT_RATE, {
      warmupMs: 1000,
      measureMs: BASELINE_MS,
      drainMs: 10_000,
    });

    const during = generator.step(CHAT_RATE, { warmupMs: 1000, measureMs: null, drainMs: 10_000 });
    await new Promise((r) => setTimeout(r, 1500));
    const sweepStarted = performance.now();
    const report = await sweepRetention(db, parley.services.content);
    if (!report) throw new Error('another retention sweep was running on the benchmark store');
    const sweepMs = performance.now() - sweepStarted;
    generator.stop();
    const withSweep = await during;
    const after = await generator.step(CHAT_RATE, {
      warmupMs: 1000,
      measureMs: BASELINE_MS,
      drainMs: 10_000,
    });
    const expiredAfter = await countMessagesClosedBy(db, longAgo);
    return { fillMs, expiredBefore, expiredAfter, sweepMs, report, without, withSweep, after };
  } finally {
    await generator.close();
    await running.shutdown();
    await closeDatabase(db);
    dir.remove();
  }
}

export async function runPrivacyAtScale(log: (line: string) => void = console.log) {
  const finish = startResult('privacy-at-scale');
  const erase = await measureErasure(log);
  const sweep = await measureSweep(log);
  const row = (label: string, s: StepResult) => [
    label,
    `${round(s.windowMs / 1000)} s`,
    s.deliveredPerSec,
    round(s.latency.p50),
    round(s.latency.p99),
    round(s.latency.max),
    s.delivered === s.sent ? 'all' : `${s.delivered}/${s.sent}`,
  ];
  log(
    `retention sweep: ${sweep.expiredBefore - sweep.expiredAfter} expired messages gone in ${round(sweep.sweepMs / 1000, 2)} s, ${sweep.report.batches} batches ` +
      `(${round((sweep.expiredBefore / sweep.sweepMs) * 1000, 0)} messages/s); deleted per table: ${JSON.stringify(
        Object.fromEntries(Object.entries(sweep.report.byTable).map(([t, v]) => [t, v.deleted])),
      )}`,
  );
  log(
    table(
      [`chat at ${CHAT_RATE} msg/s`, 'window', 'delivered/s', 'p50 ms', 'p99 ms', 'max ms', 'delivered'],
      [
        row('without the sweep', sweep.without),
        row('during the sweep', sweep.withSweep),
        row('after the sweep', sweep.after),
      ],
    ),
  );
  const ratio = sweep.withSweep.latency.p99 / sweep.without.latency.p99;
  log(`p99 during the sweep / without: ${round(ratio, 2)}×`);

  const verdicts: Verdict[] = [
    {
      benchmark: 'privacy at scale',
      metric: `erase a visitor with ${ERASE_MESSAGES} messages (median of ${ERASE_RUNS})`,
      value: `${round(median(erase))} ms`,
      target: '≤ 100 ms',
      met: median(erase) <= 100,
    },
    {
      benchmark: 'privacy at scale',
      metric: 'slowest erasure',
      value: `${round(Math.max(...erase))} ms`,
      target: '≤ 100 ms',
      met: Math.max(...erase) <= 100,
    },
    {
      benchmark: 'privacy at scale',
      metric: 'retention sweep of 1,000,000 expired messages',
      value: `${round(sweep.sweepMs / 1000, 1)} s`,
      target: '—',
      met: sweep.expiredAfter === 0,
    },
    {
      benchmark: 'privacy at scale',
      metric: 'chat p99 during the sweep / without',
      value: `${round(ratio, 2)}× (${round(sweep.withSweep.latency.p99)} / ${round(sweep.without.latency.p99)} ms)`,
      target: '≤ 2×',
      met: ratio <= 2,
    },
  ];
  return finish(verdicts, { erase, sweep, chatRate: CHAT_RATE });
}

if (isMain(import.meta.url)) await runPrivacyAtScale();
