import { describe, expect, it } from 'vitest';
import { createTestDatabase, FIXTURE } from '../testing/index.ts';
import { getAgent, removeAgent, setAgentOnline } from './agents.ts';
import {
  assignAgent,
  closeConversation,
  findConversationTarget,
  getConversation,
  listConversations,
  listOpenConversations,
  rateConversation,
} from './conversations.ts';
import { listMessages } from './messages.ts';
import { markOfflineMessageHandled } from './offline-messages.ts';
import { forgetChatId, getVisitor, updateVisitorProfile } from './visitors.ts';

// SEC-1: every function that reads or changes an account's data is scoped by the account id; given another
// account's id it finds nothing and changes nothing.

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;
const ben = FIXTURE.conversations.benActive;

describe('SEC-1: chat queries are scoped by account', () => {
  it('SEC-1: reads find nothing of another account', async () => {
    const db = await createTestDatabase();
    expect(await getConversation(db, globex, ben)).toBeNull();
    expect(await findConversationTarget(db, globex, ben)).toBeNull();
    expect(await listMessages(db, globex, ben)).toEqual([]);
    expect(await getVisitor(db, globex, FIXTURE.visitors.ben.id)).toBeNull();
    expect(await getAgent(db, FIXTURE.agents.acmeOwner.id, globex)).toBeNull();
    expect((await listOpenConversations(db, globex)).map((c) => c.id)).toEqual([
      FIXTURE.conversations.gwenWaiting,
    ]);
    expect((await listConversations(db, globex, { limit: 50 })).items.map((c) => c.id)).toEqual([
      FIXTURE.conversations.gwenWaiting,
    ]);
  });

  it('SEC-1: writes change nothing of another account', async () => {
    const db = await createTestDatabase();
    expect(await closeConversation(db, { accountId: globex, conversationId: ben })).toBe(false);
    expect(
      await rateConversation(db, {
        accountId: globex,
        conversationId: FIXTURE.conversations.annaClosed,
        rating: 1,
      }),
    ).toBe(false);
    expect(
      (await assignAgent(db, { accountId: globex, conversationId: ben, agentId: 'agt_globex_owner' }))
        .changed,
    ).toBe(false);
    expect(await markOfflineMessageHandled(db, { accountId: globex, id: 'off_anna' })).toBe(false);
    expect(await setAgentOnline(db, globex, FIXTURE.agents.acmeAgent.id, true)).toBe(false);
    expect(await removeAgent(db, { accountId: globex, agentId: FIXTURE.agents.acmeAgent.id })).toBeNull();
    expect(
      await updateVisitorProfile(db, { accountId: globex, visitorId: FIXTURE.visitors.anna.id, name: 'X' }),
    ).toBeNull();
    await forgetChatId(db, globex, FIXTURE.visitors.anna.id);

    const conversation = await getConversation(db, acme, ben);
    expect(conversation).toMatchObject({ status: 'active', agentId: FIXTURE.agents.acmeOwner.id });
    expect(conversation?.visitor.chatIdHash).not.toBeNull();
    expect(await getVisitor(db, acme, FIXTURE.visitors.anna.id)).toMatchObject({ name: 'Anna Visitor' });
    expect(await getAgent(db, FIXTURE.agents.acmeAgent.id, acme)).toMatchObject({ online: false });
  });
});

describe('conversation life cycle', () => {
  it('assigns the first answering agent once, records the first response, and hands chats back when an agent goes', async () => {
    const db = await createTestDatabase();
    const waiting = FIXTURE.conversations.gpcWaiting;
    const first = await assignAgent(db, {
      accountId: acme,
      conversationId: waiting,
      agentId: FIXTURE.agents.acmeAgent.id,
      now: 1000,
    });
    const second = await assignAgent(db, {
      accountId: acme,
      conversationId: waiting,
      agentId: FIXTURE.agents.acmeOwner.id,
      now: 2000,
    });
    expect(first.changed).toBe(true);
    expect(second.changed).toBe(false);
    expect(await getConversation(db, acme, waiting)).toMatchObject({
      status: 'active',
      agentId: FIXTURE.agents.acmeAgent.id,
      agentName: 'Adam',
      firstResponseAt: 1000,
    });
    const removed = await removeAgent(db, { accountId: acme, agentId: FIXTURE.agents.acmeAgent.id });
    expect(removed?.requeued).toEqual([waiting]);
    expect(await getConversation(db, acme, waiting)).toMatchObject({ status: 'waiting', agentId: null });
  });
});
