import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classification } from './classification.ts';
import { closeDatabase, type ParleyDb, sqliteOf } from './connection.ts';
import { eraseVisitor, exportVisitor } from './erase-visitor.ts';
import { folderFileStore } from './row-files.ts';
import { createTestDatabase, FIXTURE } from './testing/index.ts';
import { visitorDataLocations, visitorRowsCondition } from './visitor-data.ts';

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
];

let dir: string;
let path: string;
let db: ParleyDb;

const count = (location: { table: string; column: string }, value: string) =>
  (
    sqliteOf(db)
      .prepare(`SELECT count(*) AS n FROM "${location.table}" WHERE "${location.column}" = ?`)
      .get(value) as { n: number }
  ).n;
/** Everything under the data folder: the database, its WAL, and the folders of files copied from rows. */
const filesText = () =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('');
/** The tables whose rows the classification says may be copied to files. */
const tablesWithFiles = () =>
  Object.entries(classification)
    .filter(([, t]) => t.files !== undefined)
    .map(([table, t]) => ({ table, store: t.files! }));
/** Writes every row of those tables to its file, as the mailer does for the outbox without SMTP. */
async function copyRowsToFiles(): Promise<string[]> {
  const written: string[] = [];
  for (const { table, store } of tablesWithFiles()) {
    const rows = sqliteOf(db).prepare(`SELECT * FROM "${table}"`).all() as Array<{ id: string }>;
    for (const row of rows) {
      await db.files[store]!.write(row.id, Buffer.from(JSON.stringify(row)));
      written.push(row.id);
    }
  }
  return written;
}
const snapshotOthers = () =>
  Object.fromEntries(
    visitorDataLocations()
      .filter((l) => l.match === 'link')
      .map((l) => [
        `${l.table}.${l.column}`,
        sqliteOf(db)
          .prepare(
            `SELECT * FROM "${l.table}" WHERE "${l.column}" IS NOT NULL AND "${l.column}" != ? ORDER BY rowid`,
          )
          .all(anna.id),
      ]),
  );

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-erase-'));
  path = join(dir, 'parley.db');
  db = await createTestDatabase({ path, files: { mail: folderFileStore(join(dir, 'mail'), '.eml') } });
});
afterEach(async () => {
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('RET-4: erasing a visitor is complete', () => {
  it('the fixture holds Anna in every place the classification links to visitors (so this test covers new tables)', () => {
    const empty = visitorDataLocations()
      .filter((l) => l.match === 'link')
      .filter((l) => count(l, anna.id) === 0)
      .map((l) => `${l.table}.${l.column}`);
    expect(empty).toEqual([]);
  });

  it('finds every place through an index on the link itself, so its time does not grow with other visitors', () => {
    const searches = (table: string, column: string) =>
      new RegExp(`^SEARCH ${table} USING (COVERING )?INDEX \\w+ \\((\\w+=\\? AND )*${column}=\\?`);
    for (const location of visitorDataLocations()) {
      const rows = visitorRowsCondition(location, acme, anna.id);
      const plan = (
        sqliteOf(db)
          .prepare(`EXPLAIN QUERY PLAN SELECT * FROM "${location.table}" WHERE ${rows.sql}`)
          .all(...rows.args) as Array<{ detail: string }>
      ).map((step) => step.detail);
      const where = `${location.table}.${location.column}: ${plan.join(' | ')}`;
      expect(
        plan.some((step) => step.startsWith('SCAN')),
        where,
      ).toBe(false);
      if (location.via) {
        expect(
          plan.some((step) => searches(location.table, location.via!.column).test(step)),
          where,
        ).toBe(true);
        expect(
          plan.some((step) => searches(location.via!.table, location.column).test(step)),
          where,
        ).toBe(true);
      } else {
        expect(
          plan.some((step) => searches(location.table, location.column).test(step)),
          where,
        ).toBe(true);
      }
    }
  });

  it('leaves no row about the visitor in any table the classification links to visitors', async () => {
    const result = await eraseVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'agent', id: FIXTURE.agents.acmeOwner.id },
    });
    for (const location of visitorDataLocations()) {
      const value = location.match === 'link' ? anna.id : anna.email;
      expect(count(location, value), `${location.table}.${location.column}`).toBe(0);
    }
    expect(result.counts.messages).toBe(3);
    expect(result.counts.visitors).toBe(1);
  });

  it('cannot be read back from the database files on disk, nor from the files rows were copied to', async () => {
    await copyRowsToFiles();
    sqliteOf(db).pragma('wal_checkpoint(TRUNCATE)');
    for (const text of annaStrings) expect(filesText().includes(text), `before: ${text}`).toBe(true);
    await eraseVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    const after = filesText();
    for (const text of annaStrings) expect(after.includes(text), `after: ${text}`).toBe(false);
  });

  it("deletes the file copies of the visitor's rows in every table the classification gives files, and no other", async () => {
    expect(tablesWithFiles().length).toBeGreaterThan(0);
    const written = await copyRowsToFiles();
    const annas = tablesWithFiles().flatMap(({ table }) =>
      visitorDataLocations()
        .filter((l) => l.table === table)
        .flatMap((l) => {
          const value = l.match === 'link' ? anna.id : anna.email;
          const rows = visitorRowsCondition(l, acme, value);
          return (
            sqliteOf(db)
              .prepare(`SELECT id FROM "${table}" WHERE ${rows.sql}`)
              .all(...rows.args) as Array<{
              id: string;
            }>
          ).map((r) => r.id);
        }),
    );
    expect(annas.length).toBeGreaterThan(0);
    await eraseVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    const left = await db.files.mail!.ids();
    expect(left.sort()).toEqual(written.filter((id) => !annas.includes(id)).sort());
  });

  it("leaves other visitors' data untouched", async () => {
    const before = snapshotOthers();
    await eraseVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    const after = snapshotOthers();
    for (const [key, rows] of Object.entries(before)) {
      // Rows about Anna are the only ones that may go or lose their link.
      expect(after[key], key).toEqual(rows);
    }
  });

  it('records the erasure without the erased personal data, and completes the request', async () => {
    await eraseVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'agent', id: FIXTURE.agents.acmeOwner.id },
      requestId: FIXTURE.requests.annaAccess,
    });
    const audit = sqliteOf(db).prepare("SELECT * FROM audit_log WHERE action = 'visitor.erased'").all();
    expect(audit).toHaveLength(1);
    const text = JSON.stringify(audit);
    for (const personal of [anna.id, anna.email, anna.name, anna.chatId])
      expect(text).not.toContain(personal);
    // The request row stays (the record of the erasure) but no longer points at the visitor.
    const request = sqliteOf(db)
      .prepare('SELECT visitor_id, completed_at FROM data_subject_requests WHERE id = ?')
      .get(FIXTURE.requests.annaAccess) as { visitor_id: string | null; completed_at: number | null };
    expect(request.visitor_id).toBeNull();
    expect(request.completed_at).not.toBeNull();
  });

  it("does not reach into another account's data, even with a matching id", async () => {
    const result = await eraseVisitor(db, {
      accountId: FIXTURE.accounts.globex.id,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(result.counts).toEqual({});
    expect(count({ table: 'messages', column: 'visitor_id' }, anna.id)).toBe(3);
  });

  it('KID-1: a child flag erases the same way and is recorded as such', async () => {
    await eraseVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      reason: 'child',
      actor: { kind: 'agent', id: FIXTURE.agents.acmeAgent.id },
    });
    expect(count({ table: 'visitors', column: 'id' }, anna.id)).toBe(0);
    expect(
      sqliteOf(db).prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'visitor.erased_child'").get(),
    ).toEqual({ n: 1 });
  });
});

describe('RET-4: export', () => {
  it('gathers everything held about the visitor in one document', async () => {
    const doc = await exportVisitor(db, { accountId: acme, visitorId: anna.id });
    expect(Object.keys(doc).sort()).toEqual([
      'access_log',
      'consent_records',
      'conversations',
      'data_subject_requests',
      'messages',
      'notice_outbox',
      'offline_messages',
      'visitors',
    ]);
    expect(doc.messages).toHaveLength(3);
    expect(JSON.stringify(doc)).not.toContain('Are your tulip bulbs organic?');
    expect(JSON.stringify(doc.visitors)).not.toContain('chat_id_hash');
  });
});
