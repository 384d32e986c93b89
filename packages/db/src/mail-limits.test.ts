import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { contentInForce, parleyPolicy } from '@parley/policy';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import { listOfflineMessages, saveOfflineMessage } from './chat/offline-messages.ts';
import { closeDatabase, openStore, type ParleyDb } from './connection.ts';
import {
  countsMailPerRecipient,
  MAIL_LIMITS,
  type MailAllowance,
  MailLimitError,
  mailAllowanceStatement,
  queueTranscript,
  recipientKey,
  takeMailAllowance,
} from './mail-limits.ts';
import { pendingMail } from './notices.ts';
import { sweepRetention } from './retention.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRow,
  readRows,
  testDialect,
} from './testing/index.ts';

/**
 * One server process in a parallel burst, in plain CommonJS: its own connection to the shared file, asking for
 * `attempts` mails against one limit with the statement `takeMailAllowance` runs (`sql` with its `params`), once
 * every worker is ready.
 */
const BURST_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const take = db.prepare(workerData.sql);
parentPort.once('message', () => {
  let allowed = 0;
  for (let i = 0; i < workerData.attempts; i++) if (take.get(...workerData.params) !== undefined) allowed++;
  db.close();
  parentPort.postMessage(allowed);
});
parentPort.postMessage('ready');
`;

const acme = FIXTURE.accounts.acme.id;
const anna = FIXTURE.visitors.anna;
const secret = randomBytes(32);
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Anna's conversations, so that each test can ask for transcripts of a fresh one. */
const annasConversations = async (db: ParleyDb) =>
  (await readRows(db, 'conversations', { visitorId: anna.id }, { orderBy: 'id' })).map((c) => c.id);

const transcript = (db: ParleyDb, conversationId: string, to: string, now = FIXTURE_NOW) =>
  queueTranscript(db, {
    accountId: acme,
    visitorId: anna.id,
    conversationId,
    to,
    recipientSecret: secret,
    subject: 'Your chat',
    body: 'transcript',
    now,
  });

/** Seven mails a minute under one key, asked for all at once. */
const burstAllowance: MailAllowance = {
  scope: 'recipient',
  key: 'burst',
  limit: { max: 7, windowMs: 60_000 },
  now: FIXTURE_NOW,
};

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof MailLimitError ? error.code : error),
  );

describe('SEC-1: mail limits, kept in the database', () => {
  it(`mails a conversation's transcript at most ${MAIL_LIMITS.transcriptsPerConversation} times`, async () => {
    const db = await createTestDatabase();
    const [conversation] = await annasConversations(db);
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push(await refusal(transcript(db, conversation!, `reader${i}@example.test`)));
    expect(codes).toEqual([null, null, null, 'transcript_limit', 'transcript_limit']);
    expect((await pendingMail(db)).filter((m) => m.to.startsWith('reader'))).toHaveLength(3);
  });

  it('mails one address at most five times a day, whatever the conversation or the spelling of the address', async () => {
    const db = await createTestDatabase();
    const conversations = await annasConversations(db);
    // Enough transcripts of separate conversations that only the recipient's limit can refuse.
    for (let i = 0; conversations.length < 6; i++) {
      const id = `conv_extra_${i}`;
      await insertRows(db, 'conversations', [
        { id, accountId: acme, visitorId: anna.id, status: 'closed', startedAt: FIXTURE_NOW },
      ]);
      conversations.push(id);
    }
    const spellings = ['Stranger@Example.test', ' stranger@example.test', 'STRANGER@EXAMPLE.TEST'];
    const codes = [];
    for (const [i, conversation] of conversations.entries())
      codes.push(await refusal(transcript(db, conversation, spellings[i % 3]!)));
    expect(codes).toEqual([null, null, null, null, null, 'recipient_limit']);
    // A refused mail counted nothing: that conversation can still send to someone else.
    expect(await refusal(transcript(db, conversations[5]!, 'someone.else@example.test'))).toBeNull();
    // A day after the first mail, the address may be mailed again.
    expect(
      await refusal(transcript(db, conversations[0]!, 'stranger@example.test', FIXTURE_NOW + 24 * 3_600_000)),
    ).toBeNull();
  });

  it('keeps the address only as a keyed hash, and the retention sweep removes it after a day', async () => {
    const db = await createTestDatabase();
    const [conversation] = await annasConversations(db);
    await transcript(db, conversation!, 'stranger@example.test');
    const rows = await readRows(db, 'mailLimits');
    expect(JSON.stringify(rows)).not.toMatch(/stranger/i);
    expect(rows).toContainEqual(
      expect.objectContaining({ key: recipientKey(secret, 'stranger@example.test') }),
    );
    expect(recipientKey(randomBytes(32), 'stranger@example.test')).not.toBe(
      recipientKey(secret, 'stranger@example.test'),
    );
    const content = contentInForce(parleyPolicy);
    await sweepRetention(db, content, { now: FIXTURE_NOW + 23 * 3_600_000 });
    expect(await countRows(db, 'mailLimits')).toBe(1);
    await sweepRetention(db, content, { now: FIXTURE_NOW + 25 * 3_600_000 });
    expect(await countRows(db, 'mailLimits')).toBe(0);
  });

  it('CHG-1: keeps no address hash while the version that declares it (1.3.0) is not yet in force', async () => {
    const before = parleyPolicy.versions.find((v) => v.version === '1.2.0')!.content;
    expect(countsMailPerRecipient(before)).toBe(false);
    expect(countsMailPerRecipient(contentInForce(parleyPolicy))).toBe(true);
    const db = await createTestDatabase();
    const [conversation] = await annasConversations(db);
    await queueTranscript(db, {
      accountId: acme,
      visitorId: anna.id,
      conversationId: conversation!,
      to: 'stranger@example.test',
      recipientSecret: countsMailPerRecipient(before) ? secret : undefined,
      subject: 'Your chat',
      body: 'Hello',
      now: FIXTURE_NOW,
    });
    expect(await countRows(db, 'mailLimits')).toBe(0);
    // The per-conversation limit, which keeps nothing about the address, still applies.
    expect((await readRow(db, 'conversations', { id: conversation! })).transcriptsSent).toBe(1);
  });

  it(`holds offline messages beyond ${MAIL_LIMITS.offlineMessages.max} an hour for an agent instead of mailing them`, async () => {
    const db = await createTestDatabase();
    const save = (i: number, now: number) =>
      saveOfflineMessage(db, {
        accountId: acme,
        visitorId: null,
        email: `writer${i}@example.test`,
        body: `message ${i}`,
        clientKey: `offline-key-${i}`,
        now,
      });
    const held = [];
    for (let i = 0; i < 22; i++) held.push((await save(i, FIXTURE_NOW + i)).message.mailHeld);
    expect(held.filter((h) => !h)).toHaveLength(MAIL_LIMITS.offlineMessages.max);
    expect(held.slice(-2)).toEqual([true, true]);
    // A resend is the same message, not one more against the limit.
    expect((await save(0, FIXTURE_NOW + 30)).created).toBe(false);
    expect((await listOfflineMessages(db, acme)).filter((m) => m.mailHeld)).toHaveLength(2);
    // An hour after the first, mail flows again.
    expect((await save(99, FIXTURE_NOW + 3_600_000)).message.mailHeld).toBe(false);
  });

  // Processes that share a SQLite file each have their own connection; PostgreSQL's case is the test after this one.
  it.skipIf(testDialect() !== 'sqlite')(
    'lets no parallel burst from several processes past a limit',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'parley-limits-'));
      folders.push(folder);
      const path = join(folder, 'parley.db');
      await closeDatabase(await createTestDatabase({ path, seed: false }));
      const workers = Array.from(
        { length: 4 },
        () =>
          new Worker(BURST_WORKER, {
            eval: true,
            workerData: {
              driver: createRequire(import.meta.url).resolve('better-sqlite3'),
              path,
              ...new SQLiteSyncDialect().sqlToQuery(mailAllowanceStatement(burstAllowance)),
              attempts: 25,
            },
          }),
      );
      const messages = workers.map((worker) => {
        const queue: unknown[] = [];
        const waiting: Array<(m: unknown) => void> = [];
        worker.on('message', (m) => (waiting.shift() ?? ((x) => queue.push(x)))(m));
        worker.on('error', (error) => {
          throw error;
        });
        return () =>
          queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve));
      });
      expect(await Promise.all(messages.map((next) => next()))).toEqual(['ready', 'ready', 'ready', 'ready']);
      for (const worker of workers) worker.postMessage('go');
      const allowed = (await Promise.all(messages.map((next) => next()))) as number[];
      await Promise.all(workers.map((worker) => worker.terminate()));
      expect(allowed.reduce((sum, n) => sum + n, 0)).toBe(7);
    },
    30_000,
  );

  it.skipIf(testDialect() !== 'postgres')(
    'lets no parallel burst from many connections past a limit',
    async () => {
      const { createTestPostgresDatabase } = await import('./testing/postgres.ts');
      const database = await createTestPostgresDatabase({ seeded: false });
      const db = openStore(database.url, { poolSize: 8, onClose: database.drop });
      try {
        const taken = await Promise.all(
          Array.from({ length: 100 }, () => takeMailAllowance(db, burstAllowance)),
        );
        expect(taken.filter(Boolean)).toHaveLength(7);
        expect((await readRow(db, 'mailLimits', { key: 'burst' })).count).toBe(7);
      } finally {
        await closeDatabase(db);
      }
    },
  );

  it('lets one of two requests at once take the last mail of a limit', async () => {
    const db = await createTestDatabase({ seed: false });
    const take = () => takeMailAllowance(db, { ...burstAllowance, limit: { max: 2, windowMs: 60_000 } });
    expect(await take()).toBe(true);
    // With a connection open for each, neither waits for one while the other counts.
    await Promise.all([countRows(db, 'mailLimits'), countRows(db, 'mailLimits')]);
    expect((await Promise.all([take(), take()])).sort()).toEqual([false, true]);
    expect((await readRow(db, 'mailLimits', { key: 'burst' })).count).toBe(2);
  });

  it('counts nothing when the limit is reached', async () => {
    const db = await createTestDatabase({ seed: false });
    const take = () =>
      takeMailAllowance(db, {
        scope: 'recipient',
        key: 'k',
        limit: { max: 2, windowMs: 1_000 },
        now: FIXTURE_NOW,
      });
    expect([await take(), await take(), await take(), await take()]).toEqual([true, true, false, false]);
    expect((await readRow(db, 'mailLimits', { key: 'k' })).count).toBe(2);
  });
});
