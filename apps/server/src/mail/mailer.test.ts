import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderFileStore, pendingMail, queueMail, queueMarketingEmail } from '@parley/db';
import { createTestDatabase, deleteRows, readRows } from '@parley/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { drainOutbox, fileTransport, type MailTransport } from './mailer.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the mailer', () => {
  it('COM-2: writes queued mail to .eml files when no SMTP server is set, with the one-click unsubscribe headers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-mail-'));
    const db = await createTestDatabase();
    await queueMarketingEmail(db, {
      subject: 'News',
      body: 'Hello',
      unsubscribeUrl: (id) => `https://chat.example/unsubscribe?t=${id}`,
    });
    const result = await drainOutbox(db, fileTransport(folderFileStore(dir, '.eml')), {
      from: 'Parley <no-reply@chat.example>',
    });
    expect(result.failed).toBe(0);
    expect(await pendingMail(db)).toEqual([]);
    const files = readdirSync(dir);
    expect(files.length).toBe(result.sent);
    const marketing = files
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .filter((m) => m.includes('Subject: News'));
    expect(marketing).toHaveLength(2);
    expect(marketing[0]).toMatch(/List-Unsubscribe: <https:\/\/chat\.example\/unsubscribe\?t=acc_/);
    expect(marketing[0]).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
  });

  it('RET-4: leaves no file behind for a mail whose row was erased while it was being written', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-mail-'));
    const db = await createTestDatabase({ seed: false });
    const id = await queueMail(db, {
      kind: 'transcript',
      to: 'erased@example.test',
      subject: 'S',
      body: 'B',
    });
    const files = fileTransport(folderFileStore(dir, '.eml'));
    // The visitor is erased between the outbox being read and the file being written.
    const erasing: MailTransport = {
      ...files,
      async send(mail, from) {
        await deleteRows(db, 'noticeOutbox', { id });
        await files.send(mail, from);
      },
    };
    expect(await drainOutbox(db, erasing, { from: 'x@y.z' })).toEqual({ sent: 0, failed: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sends each mail once when two mailers drain the outbox at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-mail-'));
    const db = await createTestDatabase();
    for (let i = 0; i < 5; i++)
      await queueMail(db, {
        kind: 'invitation',
        to: `invitee${i}@example.test`,
        subject: `S${i}`,
        body: 'B',
      });
    const queued = (await pendingMail(db)).map((m) => m.id);
    const sent: string[] = [];
    const recording: MailTransport = {
      kind: 'smtp',
      async send(mail) {
        // The relay takes its time, and the other mailer runs meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
        sent.push(mail.id);
      },
      discard: async () => {},
      close: () => {},
    };
    const runs = await Promise.all([
      drainOutbox(db, recording, { from: 'x@y.z', limit: 2 }),
      drainOutbox(db, recording, { from: 'x@y.z', limit: 2 }),
    ]);
    expect(runs.map((r) => r.sent)).toEqual([2, 2]);
    expect(await drainOutbox(db, recording, { from: 'x@y.z' })).toEqual({ sent: 2, failed: 0 });
    expect(sent.sort()).toEqual(queued.sort());
    expect(await pendingMail(db)).toEqual([]);
  });

  it('keeps mail that fails and records the error, so nothing is lost', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-mail-'));
    const db = await createTestDatabase();
    const broken: MailTransport = {
      kind: 'smtp',
      send: async () => {
        throw new Error('connection refused');
      },
      discard: async () => {},
      close: () => {},
    };
    const result = await drainOutbox(db, broken, { from: 'x@y.z' });
    expect(result).toEqual({ sent: 0, failed: 1 });
    expect(await pendingMail(db)).toHaveLength(1);
    const [mail] = await readRows(db, 'noticeOutbox');
    expect({ lastError: mail!.lastError, attempts: mail!.attempts }).toEqual({
      lastError: 'connection refused',
      attempts: 1,
    });
  });
});
