import { describe, expect, it } from 'vitest';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, insertRows } from '../testing/index.ts';
import { listMessages } from './messages.ts';

const acme = FIXTURE.accounts.acme.id;
const conversation = FIXTURE.conversations.annaClosed;

describe('a transcript', () => {
  it("lists a conversation's messages by time, with each agent's name", async () => {
    const db = await createTestDatabase();
    const transcript = await listMessages(db, acme, conversation);
    expect(transcript.map((m) => [m.id, m.author, m.agentName])).toEqual([
      ['msg_anna_1', 'visitor', null],
      ['msg_anna_2', 'agent', FIXTURE.agents.acmeOwner.name],
      ['msg_anna_3', 'visitor', null],
      [FIXTURE.files.annaPhoto.messageId, 'visitor', null],
    ]);
    expect(transcript[0]).toEqual({
      id: 'msg_anna_1',
      conversationId: conversation,
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      author: 'visitor',
      agentId: null,
      agentName: null,
      body: 'Do you ship roses to Austria?',
      clientKey: 'key_msg_anna_1',
      createdAt: FIXTURE_NOW - 3 * 86_400_000,
      file: null,
    });
  });

  it("gives a file message its file's details, its name as its text, and not its bytes", async () => {
    const db = await createTestDatabase();
    const photo = FIXTURE.files.annaPhoto;
    const message = (await listMessages(db, acme, conversation)).find((m) => m.id === photo.messageId);
    expect(message).toMatchObject({
      body: photo.name,
      file: {
        id: photo.id,
        name: photo.name,
        contentType: 'image/png',
        size: Buffer.from(photo.png, 'base64').length,
        width: 2,
        height: 2,
      },
    });
    expect(Object.keys(message?.file ?? {}).sort()).toEqual([
      'contentType',
      'height',
      'id',
      'name',
      'size',
      'width',
    ]);
  });

  it('lists messages of the same millisecond in the order they were written, whatever their ids', async () => {
    const db = await createTestDatabase();
    const ids = ['msg_same_ms_c', 'msg_same_ms_a', 'msg_same_ms_d', 'msg_same_ms_b'];
    for (const id of ids)
      await insertRows(db, 'messages', [
        {
          id,
          conversationId: conversation,
          accountId: acme,
          visitorId: FIXTURE.visitors.anna.id,
          author: 'visitor',
          body: id,
          clientKey: `key_${id}`,
          createdAt: FIXTURE_NOW,
        },
      ]);
    const transcript = await listMessages(db, acme, conversation);
    expect(transcript.filter((m) => m.createdAt === FIXTURE_NOW).map((m) => m.id)).toEqual(ids);
  });

  it("is empty for another account's conversation", async () => {
    const db = await createTestDatabase();
    expect(await listMessages(db, FIXTURE.accounts.globex.id, conversation)).toEqual([]);
  });
});
