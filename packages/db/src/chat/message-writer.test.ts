import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDatabase, sqliteOf } from '../connection.ts';
import { rows } from '../statements.ts';
import { atOnce } from '../testing/at-once.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  readRow,
  testDialect,
  updateRows,
} from '../testing/index.ts';
import { transaction } from '../transaction.ts';
import {
  createMessageWriter,
  MessageWriterClosedError,
  type NewMessage,
  OPEN_CONVERSATION,
} from './message-writer.ts';
import { listMessages } from './messages.ts';

const acme = FIXTURE.accounts.acme.id;
const ben = FIXTURE.visitors.ben.id;
const conversation = FIXTURE.conversations.benActive;

const message = (clientKey: string, body = `text ${clientKey}`) => ({
  conversationId: conversation,
  accountId: acme,
  visitorId: ben,
  author: 'visitor' as const,
  body,
  clientKey,
});

const toOpen = (clientKey: string): NewMessage => ({
  ...message(clientKey),
  conversationId: OPEN_CONVERSATION,
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('message writer', () => {
  it('commits a message appended inside a transaction apart from it, so a rollback there keeps the message', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appended: Promise<unknown> = Promise.resolve();
    const failing = transaction(db, async () => {
      appended = writer.append(message('k_inside_tx'));
      await held;
      throw new Error('rolled back');
    });
    await nextTurn();
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await expect(appended).resolves.toMatchObject({ created: true });
    const stored = await listMessages(db, acme, conversation);
    expect(stored.map((m) => m.clientKey)).toContain('k_inside_tx');
  });

  it('commits a message after a quiet spell on the next turn, and spaces commits under load', async () => {
    const db = await createTestDatabase();
    // An interval far longer than any commit takes, so that what follows does not depend on the machine's speed.
    const writer = createMessageWriter(db, { commitIntervalMs: 60_000 });
    const first = writer.append(message('k_spaced_1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.pending).toBe(0);
    await first;

    // Within the interval of that commit, messages wait and go together in the next one.
    const second = writer.append(message('k_spaced_2'));
    const third = writer.append(message('k_spaced_3'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writer.pending).toBe(2);
    await writer.flush();
    await expect(Promise.all([second, third])).resolves.toHaveLength(2);
    expect(writer.pending).toBe(0);
  });

  it('writes at once on flush, without waiting for the interval', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db, { commitIntervalMs: 60_000 });
    await writer.append(message('k_flush_1'));
    const waiting = writer.append(message('k_flush_2'));
    expect(writer.pending).toBe(1);
    await writer.flush();
    expect(writer.pending).toBe(0);
    await expect(waiting).resolves.toMatchObject({ created: true });
  });

  it('returns the stored row for a resend with the same key, in the same batch or a later one', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const [first, again] = await Promise.all([
      writer.append(message('k_same_key')),
      writer.append(message('k_same_key')),
    ]);
    const later = await writer.append(message('k_same_key', 'changed text'));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(later.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    expect(later.message).toEqual(first.message);
    const stored = await listMessages(db, acme, conversation);
    expect(stored.filter((m) => m.clientKey === 'k_same_key')).toHaveLength(1);
  });

  it('keeps the same key from the other author apart', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const fromVisitor = await writer.append(message('k_shared_key'));
    const fromAgent = await writer.append({
      ...message('k_shared_key'),
      author: 'agent',
      agentId: FIXTURE.agents.acmeOwner.id,
    });
    expect(fromAgent.created).toBe(true);
    expect(fromAgent.message.id).not.toBe(fromVisitor.message.id);
    expect(fromAgent.message.agentName).toBe(FIXTURE.agents.acmeOwner.name);
  });

  it('puts a visitor message in their open conversation, starting one (once) if they have none', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const intoOpen = await writer.append(toOpen('k_open_1'));
    expect(intoOpen).toMatchObject({ created: true, conversationStarted: false });
    expect(intoOpen.message.conversationId).toBe(conversation);

    await updateRows(db, 'conversations', { status: 'closed', closedAt: Date.now() }, { id: conversation });
    // Two tabs send their first message of a new conversation in the same tick: one conversation is started.
    const [first, second] = await Promise.all([
      writer.append(toOpen('k_open_2')),
      writer.append(toOpen('k_open_3')),
    ]);
    expect(first.conversationStarted).toBe(true);
    expect(second.conversationStarted).toBe(false);
    expect(second.message.conversationId).toBe(first.message.conversationId);
    expect(first.message.conversationId).not.toBe(conversation);
    const started = await readRow(db, 'conversations', { id: first.message.conversationId });
    expect(started).toMatchObject({ status: 'waiting', visitorId: ben });
  });

  it('fails only the bad message of a batch', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const good = writer.append(message('k_good_one'));
    const bad = writer.append({ ...message('k_bad_one'), conversationId: 'cnv_missing' });
    await expect(good).resolves.toMatchObject({ created: true });
    await expect(bad).rejects.toThrow();
  });

  it('writes what is queued on close and then refuses appends', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const pending = writer.append(message('k_before_close'));
    expect(writer.pending).toBe(1);
    await writer.close();
    expect(writer.pending).toBe(0);
    await expect(pending).resolves.toMatchObject({ created: true });
    await expect(writer.append(message('k_after_close'))).rejects.toBeInstanceOf(MessageWriterClosedError);
  });

  it('keeps the order messages were appended in among messages of the same millisecond, across batches', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const createdAt = Date.now();
    const keys = Array.from({ length: 24 }, (_, i) => `k_same_ms_${i}`);
    const appended: Array<Promise<unknown>> = [];
    for (const [i, key] of keys.entries()) {
      appended.push(writer.append({ ...message(key), createdAt }));
      // A new batch every eight messages, each appended while the one before may still be committing.
      if (i % 8 === 7) await nextTurn();
    }
    await Promise.all(appended);
    const stored = await listMessages(db, acme, conversation);
    expect(stored.filter((m) => m.createdAt === createdAt).map((m) => m.clientKey)).toEqual(keys);
  });

  it("starts one conversation when two writers (two server nodes) store a visitor's first messages at once", async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'conversations', { status: 'closed', closedAt: Date.now() }, { id: conversation });
    const nodes = [createMessageWriter(db), createMessageWriter(db)];
    const results = await atOnce(
      db,
      nodes.map((writer, i) => () => writer.append(toOpen(`k_node_${i}`))),
    );
    expect(results.filter((r) => r.conversationStarted)).toHaveLength(1);
    expect(results[1]!.message.conversationId).toBe(results[0]!.message.conversationId);
    expect(await countRows(db, 'conversations', { visitorId: ben, status: 'waiting' })).toBe(1);
  });

  it('waits for the batch being committed before flushing, so a flush leaves nothing unwritten', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db, { commitIntervalMs: 60_000 });
    const first = writer.append(message('k_in_flight_1'));
    await nextTurn();
    const second = writer.append(message('k_in_flight_2'));
    await writer.flush();
    expect(writer.pending).toBe(0);
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    const stored = await listMessages(db, acme, conversation);
    expect(stored.map((m) => m.clientKey)).toEqual(
      expect.arrayContaining(['k_in_flight_1', 'k_in_flight_2']),
    );
  });
});

// SQLite has one connection, which every statement shares: a batch that committed while another's async
// transaction is open would be part of it, and so would be rolled back with it.
describe.skipIf(testDialect() !== 'sqlite')('message writer on SQLite', () => {
  it("holds a batch while another's async transaction is open, so the batch is not part of it", async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appended: Promise<unknown> = Promise.resolve();
    const failing = transaction(db, async () => {
      // Appended from inside the transaction, the commit is still everyone's batch, not this transaction's.
      appended = writer.append(message('k_beside_tx_1'));
      await held;
      throw new Error('rolled back');
    });
    await nextTurn();
    const outside = writer.append(message('k_beside_tx_2'));
    await nextTurn();
    expect(writer.pending).toBe(2);
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await Promise.all([appended, outside]);
    const stored = await listMessages(db, acme, conversation);
    expect(stored.map((m) => m.clientKey)).toEqual(
      expect.arrayContaining(['k_beside_tx_1', 'k_beside_tx_2']),
    );
  });

  it('commits the messages of one tick in one better-sqlite3 transaction', async () => {
    const db = await createTestDatabase();
    let transactions = 0;
    const original = sqliteOf(db).transaction.bind(sqliteOf(db));
    // The writer begins its transactions IMMEDIATE (`.immediate`): each call of that variant is one transaction.
    sqliteOf(db).transaction = ((fn: (...args: unknown[]) => unknown) => {
      const run = original(fn);
      return Object.assign((...args: unknown[]) => run(...args), {
        immediate: (...args: unknown[]) => {
          transactions++;
          return run.immediate(...args);
        },
      });
    }) as unknown as Database.Database['transaction'];
    const writer = createMessageWriter(db);
    const results = await Promise.all(
      ['k_batch_1', 'k_batch_2', 'k_batch_3'].map((k) => writer.append(message(k))),
    );
    expect(transactions).toBe(1);
    expect(results.every((r) => r.created)).toBe(true);
    const stored = await listMessages(db, acme, conversation);
    for (const result of results) expect(stored.map((m) => m.id)).toContain(result.message.id);
  });
});

// PostgreSQL runs a batch on a connection of its own, while earlier batches may still be committing.
describe.skipIf(testDialect() !== 'postgres')('message writer on PostgreSQL', () => {
  it('commits the messages of one tick in one transaction, each promise resolving after its row exists', async () => {
    const db = await createTestDatabase();
    const writer = createMessageWriter(db);
    const results = await Promise.all(
      ['k_batch_1', 'k_batch_2', 'k_batch_3'].map((k) => writer.append(message(k))),
    );
    expect(results.every((r) => r.created)).toBe(true);
    // Rows written by one transaction carry its id as `xmin`.
    const ids = results.map((r) => sql`${r.message.id}`);
    const transactions = await rows<{ xmin: string }>(
      db,
      sql`SELECT DISTINCT xmin::text AS xmin FROM messages WHERE id IN (${sql.join(ids, sql`, `)})`,
    );
    expect(transactions).toHaveLength(1);
  });
});

describe('message writer beside another process', () => {
  it.runIf(testDialect() === 'sqlite')(
    'waits for a write lock another connection holds, then stores the message (a backup or a command writing meanwhile)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-writer-'));
      try {
        const path = join(dir, 'parley.db');
        const db = await createTestDatabase({ path });
        const writer = createMessageWriter(db);
        // Another connection, on a thread of its own as another process would be, takes the write lock, writes,
        // says so, and commits a little later: the writer's commit starts while the lock is held.
        const other = new Worker(
          `const { workerData, parentPort } = require('node:worker_threads');
           const Database = require(workerData.driver);
           const db = new Database(workerData.path);
           db.exec('BEGIN IMMEDIATE');
           db.exec('CREATE TABLE other_process (x INTEGER)');
           parentPort.postMessage('locked');
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
           db.exec('COMMIT');
           db.close();
           parentPort.postMessage('committed');`,
          {
            eval: true,
            workerData: {
              driver: createRequire(import.meta.url).resolve('better-sqlite3'),
              path,
              account: acme,
            },
          },
        );
        const said = (word: string) =>
          new Promise<void>((resolve, reject) => {
            other.on('message', (m) => m === word && resolve());
            other.once('error', reject);
          });
        const committed = said('committed');
        await said('locked');
        const stored = writer.append(toOpen('k_beside_a_backup'));
        await committed;
        await expect(stored).resolves.toMatchObject({ created: true });
        await writer.close();
        await closeDatabase(db);
        await other.terminate();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
