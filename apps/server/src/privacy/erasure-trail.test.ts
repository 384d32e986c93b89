import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, folderFileStore, type ParleyDb } from '@parley/db';
import { countRows, createTestDatabase, FIXTURE, readRow } from '@parley/db/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stdoutLogger } from '../logger.ts';
import { drainOutbox, fileTransport } from '../mail/mailer.ts';
import {
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';

// RET-4, KID-1, LOG-1: what a visitor leaves behind outside the tables. Erasure reaches every file Parley writes
// their data to, nothing about them is written after it, and the logs, which cannot be erased, never hold it.

const ACME = FIXTURE.accounts.acme;
const OWNER = FIXTURE.agents.acmeOwner;

let server: TestServer | null = null;
let db: ParleyDb | null = null;
let dir: string | null = null;
afterEach(async () => {
  await server?.close();
  if (db) await closeDatabase(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = db = dir = null;
  vi.restoreAllMocks();
});

async function visitorSocket(
  running: TestServer,
  options: { chatId?: string; headers?: Record<string, string> } = {},
): Promise<TestSocket> {
  const socket = new TestSocket(`${running.wsUrl}/ws/visitor?account=${ACME.publicKey}`, options.headers);
  socket.send({ type: 'hello', persistent: true, ...(options.chatId ? { chatId: options.chatId } : {}) });
  await socket.next('welcome');
  return socket;
}

const accessLogLinesOf = (running: TestServer, visitorId: string): Promise<number> =>
  countRows(running.db, 'accessLog', { visitorId });

/** Resolves once the server has handled the close of every socket (the client may hear of it first). */
async function serverSocketsClosed(running: TestServer): Promise<void> {
  while (running.parley.services.sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Every file under a folder, as text. */
const everyFile = (folder: string): Array<{ path: string; text: string }> =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path).toString('latin1') };
    });

describe('erasure closes the visitor’s sockets first and writes nothing about them after', () => {
  const routes: Array<[string, string]> = [
    ['RET-4: an erasure request', `/app/api/visitors/${FIXTURE.visitors.ben.id}/erase`],
    [
      'KID-1: a chat flagged as a child’s',
      `/app/api/conversations/${FIXTURE.conversations.benActive}/flag-child`,
    ],
  ];
  it.each(routes)('%s leaves no access-log line naming the visitor', async (_title, route) => {
    server = await startTestServer();
    const ben = FIXTURE.visitors.ben;
    const socket = await visitorSocket(server, { chatId: ben.chatId });
    socket.send({ type: 'send', key: 'key_before_erasure', text: 'Still there?' });
    await socket.next('ack');

    const owner = await signIn(inProcessClient(server), OWNER.email);
    const erased = await inProcessClient(server).request(route, {
      method: 'POST',
      headers: writeHeaders(owner),
    });
    expect(erased.status).toBe(200);
    expect((await socket.closed).code).toBe(1008);
    await serverSocketsClosed(server);
    await server.parley.services.accessLog.flush();
    expect(await accessLogLinesOf(server, ben.id)).toBe(0);
    expect(await countRows(server.db, 'messages', { visitorId: ben.id })).toBe(0);
  });
});

describe('RET-4, LOG-1: a chat session, then its erasure', () => {
  it('logs no personal data, and after erasure leaves no trace in any file of the data folder (database, WAL, mail)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-trail-'));
    const mail = folderFileStore(join(dir, 'mail'), '.eml');
    db = await createTestDatabase({ path: join(dir, 'parley.db'), files: { mail } });

    // Everything the server's own logger prints, as it would reach the operator's journal, and anything printed
    // past it.
    const logged: string[] = [];
    const record = (...parts: unknown[]) =>
      logged.push(parts.map((p) => (p instanceof Error ? `${p.message}\n${p.stack}` : String(p))).join(' '));
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation(record);
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        record(chunk);
        return true;
      });

    server = await startTestServer({ db, log: stdoutLogger, config: { trustProxy: true } });
    const marker = `zq${randomBytes(8).toString('hex')}`;
    const name = `Marla ${marker}`;
    const email = `${marker}@example.test`;
    const ip = '203.0.113.77';
    const socket = await visitorSocket(server, {
      headers: {
        'x-forwarded-for': ip,
        'user-agent': 'Mozilla/5.0 Firefox/132.0',
        'accept-language': 'de-AT',
      },
    });
    socket.send({ type: 'profile', name, email });
    await socket.next('done');
    socket.send({ type: 'send', key: 'key_trail_message_1', text: `My order ${marker} has not arrived.` });
    await socket.next('ack');
    // A frame that fails validation is answered, not logged with what it carried.
    socket.send({ type: 'send', key: '!', text: `bad ${marker}` });
    await socket.next('error');
    socket.send(`{"type":"send","text":"${marker}"`);
    await socket.next('error');
    socket.send({ type: 'end' });
    await socket.next('conversation');
    socket.send({ type: 'transcript', email });
    await socket.next('done');
    const drained = await drainOutbox(server.db, fileTransport(mail), {
      from: 'Parley <no-reply@chat.test>',
    });
    expect(drained.failed).toBe(0);
    // The trail exists before erasure, so the scan below can see it go.
    expect(everyFile(join(dir, 'mail')).some((f) => f.text.includes(marker))).toBe(true);

    const visitor = await readRow(server.db, 'visitors', { email });
    const owner = await signIn(inProcessClient(server), OWNER.email);
    const erased = await inProcessClient(server).request(`/app/api/visitors/${visitor.id}/erase`, {
      method: 'POST',
      headers: writeHeaders(owner),
    });
    expect(erased.status).toBe(200);
    await socket.closed;
    await server.close();
    server = null;
    await closeDatabase(db);
    db = null;

    const logs = logged.join('\n');
    for (const personal of [marker, email, name, ip]) expect(logs).not.toContain(personal);
    const files = everyFile(dir);
    expect(files.map((f) => f.path)).toContain(join(dir, 'parley.db'));
    for (const file of files)
      for (const personal of [marker, ip])
        expect(file.text.includes(personal), `${personal} in ${file.path}`).toBe(false);
  });
});
