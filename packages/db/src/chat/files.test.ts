import { randomBytes } from 'node:crypto';
import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import type { ParleyDb } from '../connection.ts';
import { eraseVisitor } from '../erase-visitor.ts';
import { sweepRetention } from '../retention.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, FIXTURE_NOW, readRows } from '../testing/index.ts';
import {
  DEFAULT_FILE_QUOTA_BYTES,
  FileRefusedError,
  fileUsage,
  type NewFileMessage,
  readFileContent,
  storeFileMessage,
} from './files.ts';
import { listMessages } from './messages.ts';

const acme = FIXTURE.accounts.acme.id;
const { benActive, annaClosed } = FIXTURE.conversations;
const photo = FIXTURE.files.annaPhoto;
const photoSize = Buffer.from(photo.png, 'base64').length;
const DAY = 86_400_000;

/** Ben sends a file of `size` random bytes into his open conversation. */
const upload = (db: ParleyDb, input: Partial<NewFileMessage> & { size?: number } = {}) =>
  storeFileMessage(db, {
    accountId: acme,
    conversationId: benActive,
    author: 'visitor',
    clientKey: `key_${randomBytes(6).toString('hex')}`,
    name: 'invoice.pdf',
    contentType: 'application/pdf',
    bytes: randomBytes(input.size ?? 1_000),
    quotaBytes: DEFAULT_FILE_QUOTA_BYTES,
    now: FIXTURE_NOW,
    ...input,
  });

describe('files in chats', () => {
  it('stores a file with the message that carries it, whose text is its name, and serves its bytes', async () => {
    const db = await createTestDatabase();
    const bytes = randomBytes(3_000);
    const thumbnail = randomBytes(200);
    const { message, created } = await upload(db, {
      name: 'garden.jpg',
      contentType: 'image/jpeg',
      bytes,
      thumbnail,
      width: 640,
      height: 480,
    });
    expect(created).toBe(true);
    expect(message).toMatchObject({
      conversationId: benActive,
      visitorId: FIXTURE.visitors.ben.id,
      author: 'visitor',
      body: 'garden.jpg',
      file: { name: 'garden.jpg', contentType: 'image/jpeg', size: 3_000, width: 640, height: 480 },
    });
    const listed = await listMessages(db, acme, benActive);
    expect(listed.at(-1)).toEqual(message);
    const fileId = message.file!.id;
    expect(await readFileContent(db, fileId, 'file')).toEqual({
      name: 'garden.jpg',
      contentType: 'image/jpeg',
      bytes,
    });
    expect(await readFileContent(db, fileId, 'thumbnail')).toEqual({
      name: 'garden.jpg',
      contentType: 'image/webp',
      bytes: thumbnail,
    });
    expect(await readFileContent(db, 'fil_nothing', 'file')).toBeNull();
  });

  it("gives an agent's file the agent's name, and a document no thumbnail", async () => {
    const db = await createTestDatabase();
    const { message } = await upload(db, { author: 'agent', agentId: FIXTURE.agents.acmeOwner.id });
    expect(message).toMatchObject({ author: 'agent', agentName: FIXTURE.agents.acmeOwner.name });
    expect(await readFileContent(db, message.file!.id, 'thumbnail')).toBeNull();
  });

  it('stores a resent client key once, and answers with the first message', async () => {
    const db = await createTestDatabase();
    const first = await upload(db, { clientKey: 'key_resent_file' });
    const again = await upload(db, { clientKey: 'key_resent_file', name: 'other.pdf' });
    expect(again).toEqual({ message: first.message, created: false });
    expect(await countRows(db, 'files', { conversationId: benActive })).toBe(1);
  });

  it("refuses a conversation that has ended or is another account's, storing nothing", async () => {
    const db = await createTestDatabase();
    await expect(upload(db, { conversationId: annaClosed })).rejects.toMatchObject({
      code: 'conversation_closed',
    });
    await expect(
      upload(db, { accountId: FIXTURE.accounts.globex.id, conversationId: benActive }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await countRows(db, 'files')).toBe(1);
    expect(await countRows(db, 'messages', { conversationId: benActive })).toBe(2);
  });

  it("refuses a file the account's quota has no room for, and stores neither it nor its message", async () => {
    const db = await createTestDatabase();
    expect(await fileUsage(db, acme)).toBe(photoSize);
    const quotaBytes = photoSize + 2_500;
    await upload(db, { size: 2_000, quotaBytes });
    const refused = await upload(db, { size: 501, quotaBytes }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FileRefusedError);
    expect(refused).toMatchObject({ code: 'quota_exceeded' });
    expect(await fileUsage(db, acme)).toBe(photoSize + 2_000);
    // Exactly what is left still fits.
    await upload(db, { size: 500, quotaBytes });
    expect(await fileUsage(db, acme)).toBe(quotaBytes);
    expect(await countRows(db, 'messages', { conversationId: benActive })).toBe(4);
    // Another account's files do not count against it.
    expect(await fileUsage(db, FIXTURE.accounts.globex.id)).toBe(0);
  });

  it('lets parallel uploads on several connections together take no more than the quota', async () => {
    const db = await createTestDatabase();
    const quotaBytes = photoSize + 5 * 1_000;
    const outcomes = await atOnce(
      db,
      Array.from(
        { length: 12 },
        () => () =>
          upload(db, { size: 1_000, quotaBytes }).then(
            () => 'stored',
            (error: unknown) => (error instanceof FileRefusedError ? error.code : error),
          ),
      ),
    );
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'quota_exceeded')).toHaveLength(7);
    expect(await fileUsage(db, acme)).toBe(quotaBytes);
    expect(await countRows(db, 'messages', { conversationId: benActive })).toBe(2 + 5);
  });

  it("RET-4: erasing the visitor deletes their files' bytes with their messages, and leaves others' files", async () => {
    const db = await createTestDatabase();
    const bens = await upload(db);
    const { counts } = await eraseVisitor(db, {
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(counts.files).toBe(1);
    expect(await readFileContent(db, photo.id, 'file')).toBeNull();
    expect(await readFileContent(db, photo.id, 'thumbnail')).toBeNull();
    expect((await readRows(db, 'files')).map((f) => f.id)).toEqual([bens.message.file!.id]);
  });

  it("RET-3: the sweep removes files with their conversation's messages, a year after it closed", async () => {
    const db = await createTestDatabase();
    const policy = contentInForce(parleyPolicy);
    const closedAt = (await readRows(db, 'conversations', { id: annaClosed }))[0]!.closedAt!;
    const early = await sweepRetention(db, policy, { now: closedAt + 300 * DAY });
    expect(early?.byTable.files).toBeUndefined();
    expect(await countRows(db, 'files', { id: photo.id })).toBe(1);
    const report = await sweepRetention(db, policy, { now: closedAt + 367 * DAY });
    expect(report?.byTable.files).toEqual({ deleted: 1, cleared: 0 });
    expect(await countRows(db, 'files', { id: photo.id })).toBe(0);
    expect(await countRows(db, 'messages', { id: photo.messageId })).toBe(0);
  });
});
