import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableColumns, getTableName, is, sql, Table } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classification } from './classification.ts';
import { checkpoint, closeDatabase, type ParleyDb } from './connection.ts';
import { eraseVisitor, exportVisitor } from './erase-visitor.ts';
import { folderFileStore } from './row-files.ts';
import * as schema from './schema.ts';
import { rows, run } from './statements.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRow,
  readRows,
  type TableName,
  testDialect,
  type Where,
} from './testing/index.ts';
import { transaction } from './transaction.ts';
import { type VisitorDataLocation, visitorDataLocations, visitorRowsCondition } from './visitor-data.ts';

const anna = FIXTURE.visitors.anna;
const acme = FIXTURE.accounts.acme.id;
/** Strings only Anna's rows hold; none may be readable from the files after erasure. */
const annaStrings = [
  anna.email,
  anna.name,
  'Do you ship roses to Austria?',
  'Please call me back about the rose order.',
  'https://acme.test/roses',
  'Very helpful, thank you',
  '/shipping/austria',
  // The comment inside the photo she sent: its bytes must be gone too.
  FIXTURE.files.annaPhoto.marker,
];

let dir: string;
let db: ParleyDb;

/** The typed helpers' name for the table SQL calls `table`, and their field for its `column`. */
function fieldOf(table: string, column: string): { name: TableName; field: string } {
  const [name, found] = Object.entries(schema).find(
    ([, value]) => is(value, Table) && getTableName(value) === table,
  ) as [TableName, Table];
  const [field] = Object.entries(getTableColumns(found)).find(([, c]) => c.name === column)!;
  return { name, field };
}
/** How many rows of `location`'s table hold `value` in its column. */
function count(location: { table: string; column: string }, value: string): Promise<number> {
  const { name, field } = fieldOf(location.table, location.column);
  return countRows(db, name, { [field]: value } as Where<TableName>);
}
const valueFor = (location: VisitorDataLocation) => (location.match === 'link' ? anna.id : anna.email);
const erase = (input: Partial<Parameters<typeof eraseVisitor>[1]> = {}) =>
  eraseVisitor(db, {
    accountId: acme,
    visitorId: anna.id,
    reason: 'request',
    actor: { kind: 'system' },
    ...input,
  });

/** The tables whose rows the classification says may be copied to files. */
const tablesWithFiles = () =>
  Object.entries(classification)
    .filter(([, t]) => t.files !== undefined)
    .map(([table, t]) => ({ table, store: t.files! }));
/** Writes every row of those tables to its file, as the mailer does for the outbox without SMTP. */
async function copyRowsToFiles(): Promise<string[]> {
  const written: string[] = [];
  for (const { table, store } of tablesWithFiles()) {
    const found = (await readRows(db, fieldOf(table, 'id').name)) as Array<{ id: string }>;
    for (const row of found) {
      await db.files[store]!.write(row.id, Buffer.from(JSON.stringify(row)));
      written.push(row.id);
    }
  }
  return written;
}
/** Every row that links to a visitor other than Anna, per link. */
async function snapshotOthers(): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const location of visitorDataLocations().filter((l) => l.match === 'link')) {
    const { name, field } = fieldOf(location.table, location.column);
    const found = (await readRows(db, name)) as Array<Record<string, unknown>>;
    snapshot[`${location.table}.${location.column}`] = found
      .filter((row) => row[field] !== null && row[field] !== anna.id)
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return snapshot;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-erase-'));
  db = await createTestDatabase({ files: { mail: folderFileStore(join(dir, 'mail'), '.eml') } });
});
afterEach(async () => {
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('RET-4: erasing a visitor is complete', () => {
  it('the fixture holds Anna in every place the classification links to visitors (so this test covers new tables)', async () => {
    const empty: string[] = [];
    for (const location of visitorDataLocations().filter((l) => l.match === 'link'))
      if ((await count(location, anna.id)) === 0) empty.push(`${location.table}.${location.column}`);
    expect(empty).toEqual([]);
  });

  it.skipIf(testDialect() !== 'sqlite')(
    "finds every place through an index on the link itself, so its time does not grow with other visitors (SQLite's planner)",
    async () => {
      const searches = (table: string, column: string) =>
        new RegExp(`^SEARCH ${table} USING (COVERING )?INDEX \\w+ \\((\\w+=\\? AND )*${column}=\\?`);
      for (const location of visitorDataLocations()) {
        const plan = (
          await rows<{ detail: string }>(
            db,
            sql`EXPLAIN QUERY PLAN SELECT * FROM ${sql.identifier(location.table)} WHERE ${visitorRowsCondition(location, acme, valueFor(location))}`,
          )
        ).map((step) => step.detail);
        const where = `${location.table}.${location.column}: ${plan.join(' | ')}`;
        expect(
          plan.some((step) => step.startsWith('SCAN')),
          where,
        ).toBe(false);
        const routes = location.via
          ? [
              [location.table, location.via.column],
              [location.via.table, location.column],
            ]
          : [[location.table, location.column]];
        for (const [table, column] of routes)
          expect(
            plan.some((step) => searches(table!, column!).test(step)),
            where,
          ).toBe(true);
      }
    },
  );

  it.skipIf(testDialect() !== 'postgres')(
    "finds every place through an index, so its time does not grow with other visitors (PostgreSQL's planner, told to avoid scanning tables)",
    async () => {
      // On tables of a few rows the planner rightly prefers reading them whole; with that made as costly as it
      // can be, it still reads a table whole only where no index serves the condition.
      await transaction(db, async () => {
        await run(db, sql`SET LOCAL enable_seqscan = off`);
        for (const location of visitorDataLocations()) {
          const plan = (
            await rows<{ 'QUERY PLAN': string }>(
              db,
              sql`EXPLAIN SELECT * FROM ${sql.identifier(location.table)} WHERE ${visitorRowsCondition(location, acme, valueFor(location))}`,
            )
          ).map((line) => line['QUERY PLAN']);
          expect(plan.join('\n'), `${location.table}.${location.column}`).not.toMatch(/Seq Scan/);
        }
      });
    },
  );

  it('leaves no row about the visitor in any table the classification links to visitors', async () => {
    const result = await erase({ actor: { kind: 'agent', id: FIXTURE.agents.acmeOwner.id } });
    for (const location of visitorDataLocations())
      expect(await count(location, valueFor(location)), `${location.table}.${location.column}`).toBe(0);
    expect(result.counts.messages).toBe(4);
    expect(result.counts.files).toBe(1);
    expect(result.counts.visitors).toBe(1);
  });

  it("deletes the file copies of the visitor's rows in every table the classification gives files, and no other", async () => {
    expect(tablesWithFiles().length).toBeGreaterThan(0);
    const written = await copyRowsToFiles();
    const document = await exportVisitor(db, { accountId: acme, visitorId: anna.id });
    const annas = tablesWithFiles().flatMap(({ table }) =>
      ((document[table] ?? []) as Array<{ id: string }>).map((r) => r.id),
    );
    expect(annas.length).toBeGreaterThan(0);
    await erase();
    const left = await db.files.mail!.ids();
    expect(left.sort()).toEqual(written.filter((id) => !annas.includes(id)).sort());
  });

  it("leaves other visitors' data untouched", async () => {
    const before = await snapshotOthers();
    await erase();
    // Rows about Anna are the only ones that may go or lose their link.
    expect(await snapshotOthers()).toEqual(before);
  });

  it('records the erasure without the erased personal data, and completes the request', async () => {
    await erase({
      actor: { kind: 'agent', id: FIXTURE.agents.acmeOwner.id },
      requestId: FIXTURE.requests.annaAccess,
    });
    const audit = await readRows(db, 'auditLog', { action: 'visitor.erased' });
    expect(audit).toHaveLength(1);
    const text = JSON.stringify(audit);
    for (const personal of [anna.id, anna.email, anna.name, anna.chatId])
      expect(text).not.toContain(personal);
    // The request row stays (the record of the erasure) but no longer points at the visitor.
    const request = await readRow(db, 'dataSubjectRequests', { id: FIXTURE.requests.annaAccess });
    expect(request.visitorId).toBeNull();
    expect(request.completedAt).not.toBeNull();
  });

  it("does not reach into another account's data, even with a matching id", async () => {
    const result = await erase({ accountId: FIXTURE.accounts.globex.id });
    expect(result.counts).toEqual({});
    expect(await countRows(db, 'messages', { visitorId: anna.id })).toBe(4);
  });

  it('KID-1: a child flag erases the same way and is recorded as such', async () => {
    await erase({ reason: 'child', actor: { kind: 'agent', id: FIXTURE.agents.acmeAgent.id } });
    expect(await countRows(db, 'visitors', { id: anna.id })).toBe(0);
    expect(await countRows(db, 'auditLog', { action: 'visitor.erased_child' })).toBe(1);
  });

  it('RET-4: two erasures of one visitor at once end as one after the other would: one erases, the other finds nothing', async () => {
    const results = await Promise.all([erase(), erase()]);
    const counts = results.map((r) => r.counts);
    expect(counts).toContainEqual({});
    expect(counts.find((c) => Object.keys(c).length > 0)).toMatchObject({
      messages: 4,
      files: 1,
      visitors: 1,
    });
    expect(await countRows(db, 'auditLog', { action: 'visitor.erased' })).toBe(2);
    for (const location of visitorDataLocations())
      expect(await count(location, valueFor(location)), `${location.table}.${location.column}`).toBe(0);
  });
});

describe.skipIf(testDialect() !== 'sqlite')('RET-4: on SQLite, erased data is gone from the disk', () => {
  it('cannot be read back from the database files on disk, nor from the files rows were copied to', async () => {
    await closeDatabase(db);
    db = await createTestDatabase({
      path: join(dir, 'parley.db'),
      files: { mail: folderFileStore(join(dir, 'mail'), '.eml') },
    });
    /** Everything under the data folder: the database, its WAL, and the folders of files copied from rows. */
    const filesText = () =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
        .join('');
    // The full-text index keeps words, folded to lower case, not whole texts: a word only Anna wrote, in capitals
    // here, is then found in lower case in the index's shadow tables (in the same file) and nowhere else.
    await insertRows(db, 'messages', [
      {
        id: 'msg_anna_marker',
        conversationId: FIXTURE.conversations.annaClosed,
        accountId: acme,
        visitorId: anna.id,
        author: 'visitor',
        body: 'My parcel number is QZXPARCELMARK',
        clientKey: 'key_msg_anna_marker',
        createdAt: FIXTURE_NOW,
      },
    ]);
    const indexWords = ['qzxparcelmark', 'vienna'];
    await copyRowsToFiles();
    await checkpoint(db);
    for (const text of [...annaStrings, ...indexWords])
      expect(filesText().includes(text), `before: ${text}`).toBe(true);
    await erase();
    const after = filesText();
    for (const text of [...annaStrings, ...indexWords])
      expect(after.includes(text), `after: ${text}`).toBe(false);
  });
});

describe('RET-4: export', () => {
  it('gathers everything held about the visitor in one document', async () => {
    const doc = await exportVisitor(db, { accountId: acme, visitorId: anna.id });
    expect(Object.keys(doc).sort()).toEqual([
      'access_log',
      'consent_records',
      'conversation_tags',
      'conversations',
      'data_subject_requests',
      'files',
      'messages',
      'notes',
      'notice_outbox',
      'offline_messages',
      'offline_replies',
      'page_visits',
      'visitor_blocks',
      'visitors',
    ]);
    expect(doc.messages).toHaveLength(4);
    expect(JSON.stringify(doc)).not.toContain('Are your tulip bulbs organic?');
    expect(JSON.stringify(doc.visitors)).not.toContain('chat_id_hash');
  });

  it('names columns as the data map does and gives the same values on either engine: flags as booleans, JSON parsed', async () => {
    const doc = await exportVisitor(db, { accountId: acme, visitorId: anna.id });
    expect(doc.visitors).toEqual([
      expect.objectContaining({ id: anna.id, account_id: acme, persistent: true, email: anna.email }),
    ]);
    expect(doc.offline_messages).toEqual([expect.objectContaining({ id: 'off_anna', mail_held: false })]);
    expect(doc.notice_outbox).toEqual([expect.objectContaining({ id: 'out_anna_transcript', headers: {} })]);
  });

  it('carries the files the visitor sent, their bytes and thumbnails as base64', async () => {
    const doc = await exportVisitor(db, { accountId: acme, visitorId: anna.id });
    const photo = FIXTURE.files.annaPhoto;
    expect(doc.files).toEqual([
      expect.objectContaining({
        id: photo.id,
        message_id: photo.messageId,
        name: photo.name,
        content_type: 'image/png',
        bytes: photo.png,
        thumbnail: photo.thumbnail,
      }),
    ]);
    const [file] = doc.files as Array<{ bytes: string }>;
    expect(Buffer.from(file?.bytes ?? '', 'base64').toString('latin1')).toContain(photo.marker);
  });
});
