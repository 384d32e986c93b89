import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDuration, contentInForce, durationSeconds, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { classification } from './classification.ts';
import { columnRetention } from './column-retention.ts';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { MAIL_MAX_ATTEMPTS, markMailFailed, markMailSent, queueMail } from './notices.ts';
import { sweepRetention } from './retention.ts';
import { folderFileStore } from './row-files.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from './testing/index.ts';

const policy = contentInForce(parleyPolicy);
const DAY = 86_400_000;
const one = (db: ParleyDb, sql: string, ...args: unknown[]) =>
  sqliteOf(db)
    .prepare(sql)
    .get(...args) as Record<string, unknown> | undefined;
const n = (db: ParleyDb, sql: string, ...args: unknown[]) =>
  (
    sqliteOf(db)
      .prepare(sql)
      .get(...args) as { n: number }
  ).n;

describe('RET-3: the retention sweep enforces every declared period', () => {
  it('deletes nothing that has not expired', async () => {
    const db = await createTestDatabase();
    const report = await sweepRetention(db, policy, { now: FIXTURE_NOW });
    expect(report.byTable).toEqual({});
  });

  const cases: Array<[string, number, (db: ParleyDb) => void]> = [
    [
      'LOG-1: access log lines go after 14 days',
      15,
      (db) => expect(n(db, 'SELECT count(*) n FROM access_log')).toBe(0),
    ],
    [
      'the access log keeps lines younger than 14 days',
      11,
      (db) => expect(n(db, 'SELECT count(*) n FROM access_log')).toBe(3),
    ],
    [
      'a chat-id hash goes 30 days after the last activity, the visitor stays',
      25,
      (db) => {
        expect(
          one(db, 'SELECT chat_id_hash, country FROM visitors WHERE id = ?', FIXTURE.visitors.optedOut.id),
        ).toEqual({ chat_id_hash: null, country: 'FR' });
        expect(
          one(db, 'SELECT chat_id_hash FROM visitors WHERE id = ?', FIXTURE.visitors.anna.id)?.chat_id_hash,
        ).not.toBeNull();
      },
    ],
    [
      'COM-1: a closed conversation and its messages go a year after closing',
      366,
      (db) => {
        expect(
          n(db, 'SELECT count(*) n FROM conversations WHERE id = ?', FIXTURE.conversations.annaClosed),
        ).toBe(0);
        expect(
          n(
            db,
            'SELECT count(*) n FROM messages WHERE conversation_id = ?',
            FIXTURE.conversations.annaClosed,
          ),
        ).toBe(0);
      },
    ],
    [
      'a closed conversation stays for its year',
      300,
      (db) =>
        expect(
          n(
            db,
            'SELECT count(*) n FROM messages WHERE conversation_id = ?',
            FIXTURE.conversations.annaClosed,
          ),
        ).toBe(3),
    ],
    [
      'an open conversation is not swept for being old',
      300,
      (db) =>
        expect(
          n(db, 'SELECT count(*) n FROM messages WHERE conversation_id = ?', FIXTURE.conversations.benActive),
        ).toBe(2),
    ],
    [
      'unsent mail is never swept',
      400,
      (db) => expect(n(db, 'SELECT count(*) n FROM notice_outbox WHERE sent_at IS NULL')).toBe(1),
    ],
  ];
  it.each(cases)('%s', async (_title, afterDays, check) => {
    const db = await createTestDatabase();
    await sweepRetention(db, policy, { now: FIXTURE_NOW + afterDays * DAY, batchSize: 2 });
    check(db);
  });

  it('deletes a closed account and everything hanging from it 30 days after closing, not before', async () => {
    const db = await createTestDatabase();
    sqliteOf(db)
      .prepare('UPDATE accounts SET closed_at = ? WHERE id = ?')
      .run(FIXTURE_NOW, FIXTURE.accounts.initech.id);
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 29 * DAY });
    expect(n(db, 'SELECT count(*) n FROM accounts WHERE id = ?', FIXTURE.accounts.initech.id)).toBe(1);
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 31 * DAY });
    expect(n(db, 'SELECT count(*) n FROM accounts WHERE id = ?', FIXTURE.accounts.initech.id)).toBe(0);
    expect(n(db, 'SELECT count(*) n FROM agents WHERE account_id = ?', FIXTURE.accounts.initech.id)).toBe(0);
    expect(n(db, 'SELECT count(*) n FROM accounts')).toBe(2);
  });

  it('RET-3: deletes the file a sent mail was written to with its row, and any file whose row is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-retention-'));
    try {
      const mail = folderFileStore(join(dir, 'mail'), '.eml');
      const db = await createTestDatabase({ files: { mail } });
      const sentId = await queueMail(db, {
        kind: 'transcript',
        to: 'x@example.test',
        subject: 'S',
        body: 'B',
      });
      await markMailSent(db, sentId, FIXTURE_NOW);
      for (const id of [sentId, 'out_anna_transcript', 'out_row_already_erased'])
        await mail.write(id, Buffer.from(id));
      writeFileSync(join(dir, 'mail', 'README.txt'), 'the operator’s own file');

      const early = await sweepRetention(db, policy, { now: FIXTURE_NOW + 10 * DAY });
      expect((await mail.ids()).sort()).toEqual(['out_anna_transcript', sentId].sort());
      expect(early.files).toEqual({ mail: 1 });

      const late = await sweepRetention(db, policy, { now: FIXTURE_NOW + 31 * DAY });
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
    const id = await queueMail(db, {
      kind: 'transcript',
      to: 'bounced@example.test',
      subject: 'S',
      body: 'B',
      now: FIXTURE_NOW,
    });
    const left = () => n(db, 'SELECT count(*) n FROM notice_outbox WHERE id = ?', id);
    for (let attempt = 1; attempt < MAIL_MAX_ATTEMPTS; attempt++) await markMailFailed(db, id, 'timed out');
    // Still being tried: not swept, however old.
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 400 * DAY });
    expect(left()).toBe(1);
    await markMailFailed(db, id, 'timed out');
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 29 * DAY });
    expect(left()).toBe(1);
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 31 * DAY });
    expect(left()).toBe(0);
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
    const { last_error } = sqliteOf(db)
      .prepare('SELECT last_error FROM notice_outbox WHERE id = ?')
      .get(id) as {
      last_error: string;
    };
    expect(last_error).toBe("550 5.1.1 <<address>>: Recipient address rejected: '<address>'");
  });

  it('reports counts per category, in batches, and records the sweep', async () => {
    const db = await createTestDatabase();
    const report = await sweepRetention(db, policy, { now: FIXTURE_NOW + 15 * DAY, batchSize: 1 });
    expect(report.byCategory['user.device.ip_address']).toBe(3);
    expect(report.byTable.access_log?.deleted).toBe(3);
    expect(report.batches).toBeGreaterThan(3);
    expect(n(db, "SELECT count(*) n FROM audit_log WHERE action = 'retention.sweep'")).toBe(1);
  });

  it('pages a table by its composite primary key: every expired row goes, in batches, and every kept one stays', async () => {
    const db = await createTestDatabase({ seed: false });
    const { retention } = columnRetention(policy, 'mail_limits', 'key');
    const now = addDuration(new Date(FIXTURE_NOW), retention.keep).getTime() + DAY;
    const insert = sqliteOf(db).prepare(
      'INSERT INTO mail_limits (scope, key, window_start, count) VALUES (?, ?, ?, 1)',
    );
    // Kept and expired rows alternate in key order, and each key appears under both scopes.
    const expired: string[] = [];
    for (const scope of ['offline', 'recipient'])
      for (let i = 0; i < 9; i++) {
        const old = (i + (scope === 'offline' ? 0 : 1)) % 2 === 0;
        insert.run(scope, `key${i}`, old ? FIXTURE_NOW : now);
        if (old) expired.push(`${scope}/key${i}`);
      }
    const report = await sweepRetention(db, policy, { now, batchSize: 2 });
    expect(report.byTable.mail_limits?.deleted).toBe(expired.length);
    const left = (
      sqliteOf(db).prepare('SELECT scope, key, window_start AS at FROM mail_limits').all() as Array<{
        scope: string;
        key: string;
        at: number;
      }>
    ).map((r) => `${r.scope}/${r.key}`);
    expect(left).toHaveLength(18 - expired.length);
    expect(left.filter((row) => expired.includes(row))).toEqual([]);
  });
});

describe('SIG-1: a visitor who sent a privacy signal has the shortest retention the policy declares', () => {
  const CLOSED = FIXTURE_NOW - 2 * DAY;
  /** Two visitors alike in all but the signal, each with a closed conversation and a name and email given. */
  function twoVisitors(db: ParleyDb): void {
    const visitor = sqliteOf(db).prepare(
      "INSERT INTO visitors (id, account_id, chat_id_hash, persistent, name, email, created_at, last_seen_at) VALUES (?, 'acc_acme', ?, ?, 'Sam', ?, ?, ?)",
    );
    const conversation = sqliteOf(db).prepare(
      "INSERT INTO conversations (id, account_id, visitor_id, status, started_at, closed_at, rating) VALUES (?, 'acc_acme', ?, 'closed', ?, ?, 5)",
    );
    const message = sqliteOf(db).prepare(
      "INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, body, client_key, created_at) VALUES (?, ?, 'acc_acme', ?, 'visitor', 'Hello', ?, ?)",
    );
    for (const [id, signal] of [
      ['signal', true],
      ['plain', false],
    ] as const) {
      visitor.run(
        `vis_${id}`,
        signal ? null : `hash_${id}`,
        signal ? 0 : 1,
        `${id}@example.org`,
        CLOSED,
        CLOSED,
      );
      conversation.run(`cnv_${id}`, `vis_${id}`, CLOSED - 60_000, CLOSED);
      message.run(`msg_${id}`, `cnv_${id}`, `vis_${id}`, `key_${id}`, CLOSED - 30_000);
    }
  }
  const left = (db: ParleyDb, id: string) => ({
    visitor: n(db, 'SELECT count(*) n FROM visitors WHERE id = ?', `vis_${id}`),
    conversation: n(db, 'SELECT count(*) n FROM conversations WHERE id = ?', `cnv_${id}`),
    messages: n(db, 'SELECT count(*) n FROM messages WHERE conversation_id = ?', `cnv_${id}`),
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
    twoVisitors(db);
    await sweepRetention(db, policy, { now: limit - DAY, batchSize: 2 });
    expect([left(db, 'signal'), left(db, 'plain')]).toEqual([all, all]);
    await sweepRetention(db, policy, { now: limit + DAY, batchSize: 2 });
    expect([left(db, 'signal'), left(db, 'plain')]).toEqual([none, all]);
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
