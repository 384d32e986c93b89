import { eraseVisitor } from '@parley/db';
import { updateProfile } from '@parley/db/chat';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, insertRows, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { mailMissedChats } from './missed-chat-mail.ts';

// In the fixture, globex's chat with Gwen has waited ten minutes unanswered: missed. Its one agent is Gina.
const DASHBOARD = 'https://chat.example/app';
const globex = FIXTURE.accounts.globex.id;
const gwenChat = FIXTURE.conversations.gwenWaiting;

const missedMail = (db: Awaited<ReturnType<typeof createTestDatabase>>) =>
  readRows(db, 'noticeOutbox', { kind: 'missed_chat' });

describe('the mail about a missed chat', () => {
  it('tells the agents who asked for it, names the visitor, links the dashboard and quotes nothing', async () => {
    const db = await createTestDatabase();
    await insertRows(db, 'messages', [
      {
        id: 'msg_gwen_secret',
        conversationId: gwenChat,
        accountId: globex,
        visitorId: FIXTURE.visitors.gwen.id,
        author: 'visitor',
        body: 'My order number is 4711',
        clientKey: 'k_gwen_secret',
        createdAt: FIXTURE_NOW - 9 * 60_000,
      },
    ]);
    expect(await mailMissedChats(db, { dashboardUrl: DASHBOARD, now: FIXTURE_NOW })).toBe(1);
    const [mail, ...more] = await missedMail(db);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({
      accountId: globex,
      visitorId: FIXTURE.visitors.gwen.id,
      toEmail: FIXTURE.agents.globexOwner.email,
      subject: 'A chat went unanswered: Gwen',
    });
    expect(mail?.body).toContain(`Hello ${FIXTURE.agents.globexOwner.name},`);
    expect(mail?.body).toContain('Gwen started a chat on');
    expect(mail?.body).toContain(`${DASHBOARD}#/history/${gwenChat}`);
    expect(mail?.body).not.toContain('4711');
    expect(mail?.body).not.toContain(FIXTURE.visitors.gwen.email);
  });

  it('RET-4: goes with the visitor when they are erased', async () => {
    const db = await createTestDatabase();
    await mailMissedChats(db, { dashboardUrl: DASHBOARD, now: FIXTURE_NOW });
    expect(await missedMail(db)).toHaveLength(1);
    await eraseVisitor(db, {
      accountId: globex,
      visitorId: FIXTURE.visitors.gwen.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(await missedMail(db)).toEqual([]);
  });

  it("writes in the agent's dashboard language", async () => {
    const db = await createTestDatabase();
    await updateProfile(db, {
      accountId: globex,
      agentId: FIXTURE.agents.globexOwner.id,
      changes: { language: 'de' },
    });
    await mailMissedChats(db, { dashboardUrl: DASHBOARD, now: FIXTURE_NOW });
    const [mail] = await missedMail(db);
    expect(mail?.subject).toBe('Ein Chat blieb unbeantwortet: Gwen');
    expect(mail?.body).toContain('Gwen hat am');
  });

  it('mails nobody who turned it off, and about each chat once', async () => {
    const db = await createTestDatabase();
    await updateProfile(db, {
      accountId: globex,
      agentId: FIXTURE.agents.globexOwner.id,
      changes: { notifyMissedMail: false },
    });
    expect(await mailMissedChats(db, { dashboardUrl: DASHBOARD, now: FIXTURE_NOW })).toBe(1);
    expect(await missedMail(db)).toEqual([]);
    expect(await mailMissedChats(db, { dashboardUrl: DASHBOARD, now: FIXTURE_NOW + 60_000 })).toBe(0);
  });

  it('two nodes running at once mail each missed chat once', async () => {
    const db = await createTestDatabase();
    const later = FIXTURE_NOW + 10 * 60_000;
    const runs = await Promise.all([
      mailMissedChats(db, { dashboardUrl: DASHBOARD, now: later }),
      mailMissedChats(db, { dashboardUrl: DASHBOARD, now: later }),
    ]);
    // Gwen's chat at globex and the GPC visitor's at acme, whose two agents both asked for the mail.
    expect(runs[0] + runs[1]).toBe(2);
    const mails = await missedMail(db);
    expect(mails.map((mail) => mail.toEmail).sort()).toEqual(
      [
        FIXTURE.agents.acmeAgent.email,
        FIXTURE.agents.acmeOwner.email,
        FIXTURE.agents.globexOwner.email,
      ].sort(),
    );
  });
});
