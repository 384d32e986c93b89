import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDuration, contentInForce, durationSeconds, parleyPolicy } from '@parley/policy';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { classification } from './classification.ts';
import { columnRetention } from './column-retention.ts';
import { closeDatabase, openStore, type ParleyDb } from './connection.ts';
import { MAIL_MAX_ATTEMPTS, markMailFailed, queueMail } from './notices.ts';
import { type SweepOptions, type SweepProgress, type SweepReport, sweepRetention } from './retention.ts';
import { folderFileStore } from './row-files.ts';
import { rows } from './statements.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRow,
  readRows,
  testDialect,
  updateRows,
} from './testing/index.ts';
import { createTestPostgresDatabase } from './testing/postgres.ts';

const policy = contentInForce(parleyPolicy);
const DAY = 86_400_000;
/** A transcript queued at `FIXTURE_NOW`, as the mailer leaves it after sending or trying. */
const storeMail = (db: ParleyDb, mail: { id: string; sentAt?: number; attempts?: number }) =>
  insertRows(db, 'noticeOutbox', [
    {
      id: mail.id,
      kind: 'transcript',
      toEmail: 'x@example.test',
      subject: 'S',
      body: 'B',
      headers: {},
      createdAt: FIXTURE_NOW,
      sentAt: mail.sentAt ?? null,
      attempts: mail.attempts ?? 0,
    },
  ]);

/** A sweep that must run: no other sweep is running in these tests unless they start one. */
async function sweep(db: ParleyDb, options: SweepOptions = {}): Promise<SweepReport> {
  const report = await sweepRetention(db, policy, options);
  if (!report) throw new Error('the sweep did not run');
  return report;
}

describe('RET-3: the retention sweep enforces every declared period', () => {
  it('deletes nothing that has not expired', async () => {
    const db = await createTestDatabase();
    const report = await sweep(db, { now: FIXTURE_NOW });
    expect(report.byTable).toEqual({});
  });

  it('says after each table with personal data how far it is, in table order, a dry run as a sweep', async () => {
    const db = await createTestDatabase();
    for (const dryRun of [true, false]) {
      const seen: SweepProgress[] = [];
      await sweep(db, { now: FIXTURE_NOW, dryRun, onProgress: (progress) => seen.push(progress) });
      const total = seen[0]?.total ?? 0;
      expect(total).toBeGreaterThan(1);
      expect(seen.map((p) => p.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(seen.map((p) => p.table)).size).toBe(total);
      expect(seen.map((p) => p.table)).toContain('messages');
    }
  });

  const cases: Array<[string, number, (db: ParleyDb) => Promise<void>]> = [
    [
      'LOG-1: access log lines go after 14 days',
      15,
      async (db) => expect(await countRows(db, 'accessLog')).toBe(0),
    ],
    [
      'the access log keeps lines younger than 14 days',
      11,
      async (db) => expect(await countRows(db, 'accessLog')).toBe(3),
    ],
    [
      'a chat-id hash goes 30 days after the last activity, the visitor stays',
      25,
      async (db) => {
        const optedOut = await readRow(db, 'visitors', { id: FIXTURE.visitors.optedOut.id });
        expect({ chatIdHash: optedOut.chatIdHash, country: optedOut.country }).toEqual({
          chatIdHash: null,
          country: 'FR',
        });
        expect((await readRow(db, 'visitors', { id: FIXTURE.visitors.anna.id })).chatIdHash).not.toBeNull();
      },
    ],
    [
      'COM-1: a closed conversation and its messages go a year after closing',
      366,
      async (db) => {
        expect(await countRows(db, 'conversations', { id: FIXTURE.conversations.annaClosed })).toBe(0);
        expect(await countRows(db, 'messages', { conversationId: FIXTURE.conversations.annaClosed })).toBe(0);
      },
    ],
    [
      'a closed conversation stays for its year',
      300,
      async (db) =>
        expect(await countRows(db, 'messages', { conversationId: FIXTURE.conversations.annaClosed })).toBe(4),
    ],
    [
      'an open conversation is not swept for being old',
      300,
      async (db) =>
        expect(await countRows(db, 'messages', { conversationId: FIXTURE.conversations.benActive })).toBe(2),
    ],
    [
      'unsent mail is never swept',
      400,
      async (db) => expect(await countRows(db, 'noticeOutbox', { sentAt: null })).toBe(1),
    ],
  ];
  it.each(cases)('%s', async (_title, afterDays, check) => {
    const db = await createTestDatabase();
    await sweep(db, { now: FIXTURE_NOW + afterDays * DAY, batchSize: 2 });
    await check(db);
  });

  it('deletes a closed account and everything hanging from it 30 days after closing, not before', async () => {
    const db = await createTestDatabase();
    const initech = FIXTURE.accounts.initech.id;
    await updateRows(db, 'accounts', { closedAt: FIXTURE_NOW }, { id: initech });
    await sweep(db, { now: FIXTURE_NOW + 29 * DAY });
    expect(await countRows(db, 'accounts', { id: initech })).toBe(1);
    await sweep(db, { now: FIXTURE_NOW + 31 * DAY });
    expect(await countRows(db, 'accounts', { id: initech })).toBe(0);
    expect(await countRows(db, 'agents', { accountId: initech })).toBe(0);
    expect(await countRows(db, 'accounts')).toBe(2);
  });

  it('RET-3: deletes the file a sent mail was written to with its row, and any file whose row is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-retention-'));
    try {
      const mail = folderFileStore(join(dir, 'mail'), '.eml');
      const db = await createTestDatabase({ files: { mail } });
      const sentId = 'out_sent_transcript';
      await storeMail(db, { id: sentId, sentAt: FIXTURE_NOW });
      for (const id of [sentId, 'out_anna_transcript', 'out_row_already_erased'])
        await mail.write(id, Buffer.from(id));
      writeFileSync(join(dir, 'mail', 'README.txt'), 'the operator’s own file');

      const early = await sweep(db, { now: FIXTURE_NOW + 10 * DAY });
      expect((await mail.ids()).sort()).toEqual(['out_anna_transcript', sentId].sort());
      expect(early.files).toEqual({ mail: 1 });

      const late = await sweep(db, { now: FIXTURE_NOW + 31 * DAY });
      expect(late.files).toEqual({ mail: 1 });
      // The unsent mail keeps its file; the operator's own file is not Parley's to delete.
      expect(await mail.ids()).toEqual(['out_anna_transcript']);
      expect(readdirSync(join(dir, 'mail')).sort()).toEqual(['README.txt', 'out_anna_transcript.eml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('RET-3: mail given up as undeliverable is swept 30 days after it was queued, like sent mail', async () => {
    const db = await createTestDatabase();
    const id = 'out_bounced';
    await storeMail(db, { id, attempts: MAIL_MAX_ATTEMPTS - 1 });
    const left = () => countRows(db, 'noticeOutbox', { id });
    // Still being tried: not swept, however old.
    await sweep(db, { now: FIXTURE_NOW + 400 * DAY });
    expect(await left()).toBe(1);
    await updateRows(db, 'noticeOutbox', { attempts: MAIL_MAX_ATTEMPTS, lastError: 'timed out' }, { id });
    await sweep(db, { now: FIXTURE_NOW + 29 * DAY });
    expect(await left()).toBe(1);
    await sweep(db, { now: FIXTURE_NOW + 31 * DAY });
    expect(await left()).toBe(0);
  });

  it("RET-3: a mail server's refusal is kept without the address it quotes", async () => {
    const db = await createTestDatabase();
    const id = await queueMail(db, {
      kind: 'transcript',
      to: 'stranger@example.test',
      subject: 'S',
      body: 'B',
    });
    await markMailFailed(
      db,
      id,
      "550 5.1.1 <stranger@example.test>: Recipient address rejected: 'Stranger@Example.test'",
    );
    const { lastError } = await readRow(db, 'noticeOutbox', { id });
    expect(lastError).toBe("550 5.1.1 <<address>>: Recipient address rejected: '<address>'");
  });

  it('reports counts per category, in batches, and records the sweep', async () => {
    const db = await createTestDatabase();
    const report = await sweep(db, { now: FIXTURE_NOW + 15 * DAY, batchSize: 1 });
    // Three access-log lines, and the network of a block made 35 days before.
    expect(report.byCategory['user.device.ip_address']).toBe(4);
    expect(report.byTable.access_log?.deleted).toBe(3);
    expect(report.byTable.visitor_blocks?.deleted).toBe(1);
    expect(report.batches).toBeGreaterThan(3);
    expect(await countRows(db, 'auditLog', { action: 'retention.sweep' })).toBe(1);
  });

  it('RET-3: a dry run counts what a sweep at the same moment deletes and clears, and changes nothing', async () => {
    const db = await createTestDatabase();
    const now = FIXTURE_NOW + 400 * DAY;
    /** Every table's row count, by its SQL name. */
    const counts = () =>
      Promise.all(
        Object.keys(classification).map(async (table) => {
          const [found] = await rows<{ n: number | string }>(
            db,
            sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`,
          );
          return [table, Number(found?.n)];
        }),
      );
    const before = await counts();
    const dry = await sweep(db, { now, dryRun: true });
    expect(await counts()).toEqual(before);
    expect(await countRows(db, 'auditLog', { action: 'retention.sweep' })).toBe(0);
    expect(Object.keys(dry.byTable).length).toBeGreaterThan(3);

    const real = await sweep(db, { now });
    expect(dry.byTable).toEqual(real.byTable);
    expect(dry.byCategory).toEqual(real.byCategory);
    await closeDatabase(db);
  });

  it('pages a table by its composite primary key: every expired row goes, in batches, and every kept one stays', async () => {
    const db = await createTestDatabase({ seed: false });
    const { retention } = columnRetention(policy, 'mail_limits', 'key');
    const now = addDuration(new Date(FIXTURE_NOW), retention.keep).getTime() + DAY;
    // Kept and expired rows alternate in key order, and each key appears under both scopes.
    const expired: string[] = [];
    for (const scope of ['offline_messages', 'recipient'] as const)
      for (let i = 0; i < 9; i++) {
        const old = (i + (scope === 'recipient' ? 1 : 0)) % 2 === 0;
        await insertRows(db, 'mailLimits', [
          { scope, key: `key${i}`, windowStart: old ? FIXTURE_NOW : now, count: 1 },
        ]);
        if (old) expired.push(`${scope}/key${i}`);
      }
    const report = await sweep(db, { now, batchSize: 2 });
    expect(report.byTable.mail_limits?.deleted).toBe(expired.length);
    const left = (await readRows(db, 'mailLimits')).map((r) => `${r.scope}/${r.key}`);
    expect(left).toHaveLength(18 - expired.length);
    expect(left.filter((row) => expired.includes(row))).toEqual([]);
  });
});

describe('RET-3: one sweep at a time', () => {
  /** Starts a sweep on `db` that stops at its first pause until released; resolves once it has stopped there. */
  async function heldSweep(db: ParleyDb) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stopped!: () => void;
    const atPause = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const running = sweep(db, {
      now: FIXTURE_NOW + 15 * DAY,
      pause: async () => {
        stopped();
        await held;
      },
    });
    await atPause;
    return { release, running };
  }

  it('RET-3: a sweep asked for while another runs does not run; the one running does the work once', async () => {
    const db = await createTestDatabase();
    const first = await heldSweep(db);
    const second = await sweepRetention(db, policy, { now: FIXTURE_NOW + 15 * DAY });
    first.release();
    expect(second).toBeNull();
    expect((await first.running).byTable.access_log?.deleted).toBe(3);
    expect(await countRows(db, 'auditLog', { action: 'retention.sweep' })).toBe(1);
    // Once it has finished, the next sweep runs.
    expect(await sweepRetention(db, policy, { now: FIXTURE_NOW + 15 * DAY })).not.toBeNull();
  });

  describe.skipIf(testDialect() !== 'postgres')('on PostgreSQL, which several nodes share', () => {
    it('RET-3: a node does not sweep while another node sweeps the same database', async () => {
      const database = await createTestPostgresDatabase({ seeded: true });
      const nodes = [openStore(database.url, { poolSize: 2 }), openStore(database.url, { poolSize: 2 })];
      try {
        const [one, other] = nodes as [ParleyDb, ParleyDb];
        const first = await heldSweep(one);
        const second = await sweepRetention(other, policy, { now: FIXTURE_NOW + 15 * DAY });
        first.release();
        expect(second).toBeNull();
        expect((await first.running).byTable.access_log?.deleted).toBe(3);
        expect(await countRows(other, 'auditLog', { action: 'retention.sweep' })).toBe(1);
        expect(await sweepRetention(other, policy, { now: FIXTURE_NOW + 15 * DAY })).not.toBeNull();
      } finally {
        for (const node of nodes) await closeDatabase(node);
        await database.drop();
      }
    });
  });
});

describe('SIG-1: a visitor who sent a privacy signal has the shortest retention the policy declares', () => {
  const CLOSED = FIXTURE_NOW - 2 * DAY;
  /** Two visitors alike in all but the signal, each with a closed conversation and a name and email given. */
  async function twoVisitors(db: ParleyDb): Promise<void> {
    for (const [id, signal] of [
      ['signal', true],
      ['plain', false],
    ] as const) {
      await insertRows(db, 'visitors', [
        {
          id: `vis_${id}`,
          accountId: 'acc_acme',
          chatIdHash: signal ? null : `hash_${id}`,
          persistent: !signal,
          name: 'Sam',
          email: `${id}@example.org`,
          createdAt: CLOSED,
          lastSeenAt: CLOSED,
        },
      ]);
      await insertRows(db, 'conversations', [
        {
          id: `cnv_${id}`,
          accountId: 'acc_acme',
          visitorId: `vis_${id}`,
          status: 'closed',
          startedAt: CLOSED - 60_000,
          closedAt: CLOSED,
          rating: 5,
        },
      ]);
      await insertRows(db, 'messages', [
        {
          id: `msg_${id}`,
          conversationId: `cnv_${id}`,
          accountId: 'acc_acme',
          visitorId: `vis_${id}`,
          author: 'visitor',
          body: 'Hello',
          clientKey: `key_${id}`,
          createdAt: CLOSED - 30_000,
        },
      ]);
    }
  }
  const left = async (db: ParleyDb, id: string) => ({
    visitor: await countRows(db, 'visitors', { id: `vis_${id}` }),
    conversation: await countRows(db, 'conversations', { id: `cnv_${id}` }),
    messages: await countRows(db, 'messages', { conversationId: `cnv_${id}` }),
  });
  const all = { visitor: 1, conversation: 1, messages: 1 };
  const none = { visitor: 0, conversation: 0, messages: 0 };
  const keepAtMost = policy.signals.keepAtMost;
  if (keepAtMost === undefined)
    throw new Error('the policy in force declares no limit for signalling visitors');
  const limit = addDuration(new Date(CLOSED), keepAtMost).getTime();

  it('SIG-1: the policy declares a limit shorter than the usual retention of a conversation', () => {
    const usual = columnRetention(policy, 'messages', 'body').retention;
    const underSignal = columnRetention(policy, 'messages', 'body', { signal: true }).retention;
    expect(underSignal).toEqual({ after: usual.after, keep: keepAtMost });
    expect(durationSeconds(underSignal.keep)).toBeLessThan(durationSeconds(usual.keep));
  });

  it("SIG-1: the signalling visitor's conversation, messages and row go when the limit has passed, the other visitor's stay", async () => {
    const db = await createTestDatabase();
    await twoVisitors(db);
    await sweep(db, { now: limit - DAY, batchSize: 2 });
    expect([await left(db, 'signal'), await left(db, 'plain')]).toEqual([all, all]);
    await sweep(db, { now: limit + DAY, batchSize: 2 });
    expect([await left(db, 'signal'), await left(db, 'plain')]).toEqual([none, all]);
  });

  it("SIG-1: every table with a visitor's data tells signalling visitors apart, keeps it no longer than the limit anyway, or keeps it because the law requires it", () => {
    const cap = durationSeconds(keepAtMost);
    const unbounded: string[] = [];
    for (const [table, t] of Object.entries(classification)) {
      const links = Object.values(t.columns).filter((c) => c.kind === 'link' && c.subject === 'visitor');
      if (links.length === 0 || t.signal) continue;
      if (links.every((c) => c.use === 'essential.legal_obligation')) continue;
      for (const [column, c] of Object.entries(t.columns)) {
        if (c.kind !== 'personal' || !c.subjects.includes('visitor')) continue;
        if (durationSeconds(columnRetention(policy, table, column).retention.keep) > cap)
          unbounded.push(`${table}.${column}`);
      }
    }
    expect(unbounded).toEqual([]);
  });
});
