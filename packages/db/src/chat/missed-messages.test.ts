import { describe, expect, it } from 'vitest';
import type { ParleyDb } from '../connection.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, insertRows } from '../testing/index.ts';
import { listMissedAccountMessages, listMissedMessages, MAX_CLOCK_SKEW_MS } from './missed-messages.ts';

const acme = FIXTURE.accounts.acme.id;
const { benActive, gpcWaiting, annaClosed } = FIXTURE.conversations;
/** When the fixture's last message of Ben's chat, `msg_ben_2`, was written. */
const BEN_2_AT = FIXTURE_NOW - 29 * 60_000;

/** Stores messages the way another node would, straight into the table; `at` is that node's clock. */
async function written(
  db: ParleyDb,
  conversationId: string,
  visitorId: string,
  messages: Array<{ id: string; at: number }>,
): Promise<void> {
  for (const { id, at } of messages)
    await insertRows(db, 'messages', [
      {
        id,
        conversationId,
        accountId: acme,
        visitorId,
        author: 'visitor',
        body: id,
        clientKey: `key_${id}`,
        createdAt: at,
      },
    ]);
}

describe("a conversation's missed messages", () => {
  it('are those written since the last one the client holds, reading back over the clock skew, without it', async () => {
    const db = await createTestDatabase();
    await written(db, benActive, FIXTURE.visitors.ben.id, [
      // Timed by a node whose clock runs a second behind, but written after msg_ben_2.
      { id: 'msg_ben_late_clock', at: BEN_2_AT - 1_000 },
      { id: 'msg_ben_3', at: BEN_2_AT + 60_000 },
      { id: 'msg_ben_4', at: BEN_2_AT + 120_000 },
    ]);
    const missed = await listMissedMessages(db, {
      accountId: acme,
      conversationId: benActive,
      after: 'msg_ben_2',
    });
    // msg_ben_1, a minute before msg_ben_2, is further back than any skew.
    expect(missed?.map((m) => m.id)).toEqual(['msg_ben_late_clock', 'msg_ben_3', 'msg_ben_4']);
  });

  it('leave out what was written before the margin', async () => {
    const db = await createTestDatabase();
    await written(db, benActive, FIXTURE.visitors.ben.id, [
      { id: 'msg_ben_long_before', at: BEN_2_AT - MAX_CLOCK_SKEW_MS - 1 },
      { id: 'msg_ben_at_margin', at: BEN_2_AT - MAX_CLOCK_SKEW_MS },
    ]);
    const missed = await listMissedMessages(db, {
      accountId: acme,
      conversationId: benActive,
      after: 'msg_ben_2',
    });
    expect(missed?.map((m) => m.id)).toEqual(['msg_ben_at_margin']);
  });

  it('are empty when the client holds the last one', async () => {
    const db = await createTestDatabase();
    expect(
      await listMissedMessages(db, { accountId: acme, conversationId: benActive, after: 'msg_ben_2' }),
    ).toEqual([]);
  });

  it.each([
    ['an id that was never a message', acme, 'msg_never_written'],
    ["another conversation's message", acme, 'msg_anna_3'],
    ["the conversation asked for through another account's id", FIXTURE.accounts.globex.id, 'msg_ben_2'],
  ])('are unknown (null) after %s', async (_, accountId, after) => {
    const db = await createTestDatabase();
    expect(await listMissedMessages(db, { accountId, conversationId: benActive, after })).toBeNull();
  });
});

describe("an account's missed messages", () => {
  async function withNews(): Promise<ParleyDb> {
    const db = await createTestDatabase();
    await written(db, benActive, FIXTURE.visitors.ben.id, [{ id: 'msg_ben_3', at: BEN_2_AT + 60_000 }]);
    await written(db, gpcWaiting, FIXTURE.visitors.gpc.id, [{ id: 'msg_gpc_2', at: BEN_2_AT + 90_000 }]);
    return db;
  }

  it("are every conversation's messages since the anchor, oldest first, for an agent who sees them all", async () => {
    const db = await withNews();
    const missed = await listMissedAccountMessages(db, { accountId: acme, after: 'msg_ben_2', limit: 10 });
    // msg_gpc_1 (five minutes ago) is newer than msg_ben_2 too; Globex's messages are not Acme's.
    expect(missed?.messages.map((m) => m.id)).toEqual(['msg_ben_3', 'msg_gpc_2', 'msg_gpc_1']);
    expect(missed?.complete).toBe(true);
  });

  it('keep to the conversations an agent may see: waiting ones and their own', async () => {
    const db = await withNews();
    const missed = await listMissedAccountMessages(db, {
      accountId: acme,
      after: 'msg_ben_2',
      limit: 10,
      seenBy: FIXTURE.agents.acmeAgent.id,
    });
    expect(missed?.messages.map((m) => m.id)).toEqual(['msg_gpc_2', 'msg_gpc_1']);
  });

  it('stop at the limit and say there were more', async () => {
    const db = await withNews();
    const missed = await listMissedAccountMessages(db, { accountId: acme, after: 'msg_ben_2', limit: 2 });
    expect(missed).toMatchObject({ complete: false });
    expect(missed?.messages.map((m) => m.id)).toEqual(['msg_ben_3', 'msg_gpc_2']);
  });

  it('include a conversation that closed after the cut', async () => {
    const db = await withNews();
    const missed = await listMissedAccountMessages(db, { accountId: acme, after: 'msg_anna_1', limit: 10 });
    expect(missed?.messages.map((m) => m.id)).toEqual([
      'msg_anna_2',
      'msg_anna_3',
      FIXTURE.files.annaPhoto.messageId,
      'msg_ben_1',
      'msg_ben_2',
      'msg_ben_3',
      'msg_gpc_2',
      'msg_gpc_1',
    ]);
  });

  it('leave out conversations that closed before the cut, which can hold nothing newer', async () => {
    const db = await withNews();
    // A row no writer makes (messages go into open conversations), so only the conversation's close keeps it out.
    await written(db, annaClosed, FIXTURE.visitors.anna.id, [
      { id: 'msg_anna_stray', at: BEN_2_AT + 30_000 },
    ]);
    const missed = await listMissedAccountMessages(db, { accountId: acme, after: 'msg_ben_2', limit: 10 });
    expect(missed?.messages.map((m) => m.id)).toEqual(['msg_ben_3', 'msg_gpc_2', 'msg_gpc_1']);
  });

  it.each([
    ['an id that was never a message', acme, 'msg_never_written'],
    ["another account's message", acme, 'msg_gwen_1'],
  ])('are unknown (null) after %s', async (_, accountId, after) => {
    const db = await createTestDatabase();
    expect(await listMissedAccountMessages(db, { accountId, after, limit: 10 })).toBeNull();
  });
});
