import { describe, expect, it } from 'vitest';
import type { ParleyDb } from '../connection.ts';
import { atOnce } from '../testing/at-once.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from '../testing/index.ts';
import { transaction } from '../transaction.ts';
import { assignAgent, closeConversation } from './conversations.ts';
import {
  claimMissedChat,
  findMissedChats,
  MISSED_CHAT_LOOKBACK_MS,
  MISSED_CHAT_WAIT_MS,
} from './missed-chats.ts';
import { updateProfile } from './self-service.ts';

const { acme, globex } = FIXTURE.accounts;
const C = FIXTURE.conversations;
const ids = (found: { conversationId: string }[]) => found.map((chat) => chat.conversationId);

// In the fixture, acme's chat with the GPC visitor has waited 5 minutes and globex's with Gwen 10; the others were
// answered.
const gpc = { conversationId: C.gpcWaiting, accountId: acme.id };

describe('missed chats', () => {
  it('finds open chats unanswered past the wait, and closed ones unanswered at once', async () => {
    const db = await createTestDatabase();
    expect(ids(await findMissedChats(db, { now: FIXTURE_NOW }))).toEqual([C.gwenWaiting]);
    const later = FIXTURE_NOW - 5 * 60_000 + MISSED_CHAT_WAIT_MS;
    expect(ids(await findMissedChats(db, { now: later }))).toEqual([C.gwenWaiting, C.gpcWaiting]);

    const db2 = await createTestDatabase();
    await closeConversation(db2, { ...gpc, now: FIXTURE_NOW });
    expect(ids(await findMissedChats(db2, { now: FIXTURE_NOW }))).toEqual([C.gwenWaiting, C.gpcWaiting]);
  });

  it('leaves out chats an agent answered and chats older than the lookback', async () => {
    const db = await createTestDatabase();
    await assignAgent(db, { ...gpc, agentId: FIXTURE.agents.acmeAgent.id, now: FIXTURE_NOW });
    const later = FIXTURE_NOW + MISSED_CHAT_WAIT_MS;
    expect(ids(await findMissedChats(db, { now: later }))).toEqual([C.gwenWaiting]);
    const muchLater = FIXTURE_NOW - 10 * 60_000 + MISSED_CHAT_LOOKBACK_MS + 1;
    expect(await findMissedChats(db, { now: muchLater })).toEqual([]);
  });

  it('claims a chat once, for the agents who asked for the mail', async () => {
    const db = await createTestDatabase();
    await updateProfile(db, {
      accountId: acme.id,
      agentId: FIXTURE.agents.acmeAgent.id,
      changes: { notifyMissedMail: false },
    });
    const now = FIXTURE_NOW + MISSED_CHAT_WAIT_MS;
    expect(await claimMissedChat(db, { ...gpc, now })).toEqual({
      ...gpc,
      visitorId: FIXTURE.visitors.gpc.id,
      startedAt: FIXTURE_NOW - 5 * 60_000,
      visitorName: null,
      recipients: [
        { name: FIXTURE.agents.acmeOwner.name, email: FIXTURE.agents.acmeOwner.email, language: null },
      ],
    });
    expect(await claimMissedChat(db, { ...gpc, now: now + 1 })).toBeNull();
    expect(ids(await findMissedChats(db, { now: now + 1 }))).toEqual([C.gwenWaiting]);
  });

  it('claims nothing across accounts, nor a chat answered meanwhile', async () => {
    const db = await createTestDatabase();
    expect(
      await claimMissedChat(db, { conversationId: C.gwenWaiting, accountId: acme.id, now: FIXTURE_NOW }),
    ).toBe(null);
    await assignAgent(db, { ...gpc, agentId: FIXTURE.agents.acmeAgent.id, now: FIXTURE_NOW });
    expect(await claimMissedChat(db, { ...gpc, now: FIXTURE_NOW })).toBeNull();
    const gwen = await claimMissedChat(db, {
      conversationId: C.gwenWaiting,
      accountId: globex.id,
      now: FIXTURE_NOW,
    });
    expect(gwen).toMatchObject({ visitorName: FIXTURE.visitors.gwen.name });
  });

  it('of two nodes claiming the same chat at once, exactly one gets it', async () => {
    const db = await createTestDatabase();
    const claim = (store: ParleyDb) => () =>
      transaction(store, () => claimMissedChat(store, { ...gpc, now: FIXTURE_NOW }));
    const claims = await atOnce(db, [claim(db), claim(db)]);
    expect(claims.filter((chat) => chat !== null)).toHaveLength(1);
  });
});
