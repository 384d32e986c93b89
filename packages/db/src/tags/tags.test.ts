import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { exportAccount } from '../account-data.ts';
import { listConversations, listOpenConversations } from '../chat/conversations.ts';
import type { ParleyDb } from '../connection.ts';
import { eraseVisitor, exportVisitor } from '../erase-visitor.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, insertRows, readRows } from '../testing/index.ts';
import {
  createTag,
  deleteTag,
  listTags,
  openConversationsTagged,
  TagError,
  tagConversation,
  tagNamesOf,
  tagStatistics,
  untagConversation,
  updateTag,
} from './tags.ts';

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;
const { annaClosed, benActive } = FIXTURE.conversations;
const policy = contentInForce(parleyPolicy);
const DAY = 86_400_000;

async function tagged(db: ParleyDb, conversationId: string, tagId: string) {
  return tagConversation(db, { accountId: acme, conversationId, tagId, now: FIXTURE_NOW });
}

describe('tags of an account', () => {
  it('stores tags with a name unique whatever its case, and lists them by name', async () => {
    const db = await createTestDatabase();
    const billing = await createTag(
      db,
      acme,
      { name: '  Billing   issue ', color: '#AA3300' },
      { now: FIXTURE_NOW },
    );
    const bug = await createTag(db, acme, { name: 'bug' });
    expect(billing).toMatchObject({ name: 'Billing issue', color: '#aa3300', createdAt: FIXTURE_NOW });
    expect(await listTags(db, acme)).toEqual([billing, bug, expect.objectContaining({ name: 'Roses' })]);
    await expect(createTag(db, acme, { name: 'BILLING ISSUE' })).rejects.toThrow(
      'The account already has a tag called “BILLING ISSUE”.',
    );
    await expect(updateTag(db, acme, bug.id, { name: 'billing issue' })).rejects.toThrow(TagError);
    expect(await updateTag(db, acme, bug.id, { name: 'Bug', color: null })).toMatchObject({ name: 'Bug' });
    // Another account may have a tag of the same name.
    expect((await createTag(db, globex, { name: 'Billing issue' })).accountId).toBe(globex);
  });

  it('refuses a missing or long name and a wrong colour, field by field', async () => {
    const db = await createTestDatabase();
    const refused = await createTag(db, globex, { name: ' ', color: 'red' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TagError);
    expect(Object.keys((refused as TagError).fields).sort()).toEqual(['color', 'name']);
    await expect(createTag(db, globex, { name: 'x'.repeat(41) })).rejects.toThrow(TagError);
    expect(await listTags(db, globex)).toEqual([]);
  });

  it("puts tags on the account's conversations only, once each, and takes them off", async () => {
    const db = await createTestDatabase();
    const billing = await createTag(db, acme, { name: 'Billing' });
    const foreign = await createTag(db, globex, { name: 'Foreign' });
    expect(await tagged(db, annaClosed, billing.id)).toBe(true);
    expect(await tagged(db, annaClosed, billing.id)).toBe(true);
    expect(await tagged(db, annaClosed, foreign.id)).toBe(false);
    expect(
      await tagConversation(db, { accountId: globex, conversationId: annaClosed, tagId: foreign.id }),
    ).toBe(false);
    expect(await readRows(db, 'conversationTags', { conversationId: annaClosed, tagId: billing.id })).toEqual(
      [expect.objectContaining({ tagId: billing.id, accountId: acme, visitorId: FIXTURE.visitors.anna.id })],
    );
    expect(
      await untagConversation(db, { accountId: globex, conversationId: annaClosed, tagId: billing.id }),
    ).toBe(false);
    expect(
      await untagConversation(db, { accountId: acme, conversationId: annaClosed, tagId: billing.id }),
    ).toBe(true);
    expect(await readRows(db, 'conversationTags', { tagId: billing.id })).toEqual([]);
  });

  it('lists conversations with their tags, and only those with a tag when asked', async () => {
    const db = await createTestDatabase();
    const billing = await createTag(db, acme, { name: 'Billing' });
    const bug = await createTag(db, acme, { name: 'Bug' });
    await tagged(db, annaClosed, bug.id);
    await tagged(db, annaClosed, billing.id);
    await tagged(db, benActive, bug.id);
    const all = await listConversations(db, acme, { limit: 10 });
    expect(all.items.find((c) => c.id === annaClosed)?.tags).toEqual(['Billing', 'Bug', 'Roses']);
    const withBilling = await listConversations(db, acme, { limit: 10, tagId: billing.id });
    expect(withBilling.items.map((c) => c.id)).toEqual([annaClosed]);
    expect((await listConversations(db, acme, { limit: 10, tagId: bug.id })).items).toHaveLength(2);
    expect((await listConversations(db, globex, { limit: 10, tagId: bug.id })).items).toEqual([]);
    expect((await listOpenConversations(db, acme)).find((c) => c.id === benActive)?.tags).toEqual(['Bug']);
    expect(await tagNamesOf(db, globex, [annaClosed])).toEqual(new Map([[annaClosed, []]]));
  });

  it('deleting a tag takes it off its conversations and says which open ones had it', async () => {
    const db = await createTestDatabase();
    const bug = await createTag(db, acme, { name: 'Bug' });
    await tagged(db, annaClosed, bug.id);
    await tagged(db, benActive, bug.id);
    expect(await openConversationsTagged(db, acme, bug.id)).toEqual([benActive]);
    expect(await openConversationsTagged(db, globex, bug.id)).toEqual([]);
    expect(await deleteTag(db, globex, bug.id)).toBeNull();
    expect(await deleteTag(db, acme, bug.id)).toEqual([benActive]);
    expect(await readRows(db, 'conversationTags', { tagId: bug.id })).toEqual([]);
    expect((await listTags(db, acme)).map((tag) => tag.name)).toEqual(['Roses']);
  });

  it("RET-4: a visitor's conversation tags are in their export and go with their erasure, others' stay", async () => {
    const db = await createTestDatabase();
    const bug = await createTag(db, acme, { name: 'Bug' });
    await tagged(db, annaClosed, bug.id);
    await tagged(db, benActive, bug.id);
    const document = await exportVisitor(db, { accountId: acme, visitorId: FIXTURE.visitors.anna.id });
    expect(document.conversation_tags).toHaveLength(2);
    expect(document.conversation_tags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ conversation_id: annaClosed, tag_id: bug.id }),
        expect.objectContaining({ conversation_id: annaClosed, tag_id: FIXTURE.tags.acmeRoses }),
      ]),
    );
    const { counts } = await eraseVisitor(db, {
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(counts.conversation_tags).toBe(2);
    expect((await readRows(db, 'conversationTags', {})).map((row) => row.conversationId)).toEqual([
      benActive,
    ]);
    // The tag itself is the account's and stays; the account's export lists it.
    expect((await exportAccount(db, acme)).tags).toEqual([
      expect.objectContaining({ id: bug.id, name: 'Bug' }),
      expect.objectContaining({ id: FIXTURE.tags.acmeRoses, name: 'Roses' }),
    ]);
  });

  it('LOG-3: counts conversations per tag in the period, with no count for fewer visitors than the minimum', async () => {
    const db = await createTestDatabase();
    const minimum = policy.statistics.minimumGroupSize;
    const busy = await createTag(db, acme, { name: 'Busy' });
    const rare = await createTag(db, acme, { name: 'Rare' });
    const ids = Array.from({ length: minimum }, (_, i) => i);
    await insertRows(
      db,
      'visitors',
      ids.map((i) => ({
        id: `vis_tagged_${i}`,
        accountId: acme,
        persistent: true,
        createdAt: FIXTURE_NOW - DAY,
        lastSeenAt: FIXTURE_NOW - DAY,
      })),
    );
    await insertRows(
      db,
      'conversations',
      ids.map((i) => ({
        id: `cnv_tagged_${i}`,
        accountId: acme,
        visitorId: `vis_tagged_${i}`,
        status: 'closed' as const,
        startedAt: FIXTURE_NOW - DAY,
        closedAt: FIXTURE_NOW - DAY + 60_000,
      })),
    );
    for (const i of ids) await tagged(db, `cnv_tagged_${i}`, busy.id);
    await tagged(db, 'cnv_tagged_0', rare.id);
    // Tagged long before the period: not counted.
    await tagged(db, annaClosed, busy.id);
    const figures = await tagStatistics(db, policy, acme, { from: FIXTURE_NOW - 2 * DAY, to: FIXTURE_NOW });
    expect(figures).toEqual([
      {
        tag: { id: busy.id, name: 'Busy' },
        statistic: { name: 'conversations_with_tag', value: minimum, people: minimum, suppressed: false },
      },
      {
        tag: { id: rare.id, name: 'Rare' },
        statistic: {
          name: 'conversations_with_tag',
          value: null,
          people: 1,
          suppressed: true,
          reason: `computed over fewer than ${minimum} people`,
        },
      },
      {
        tag: { id: FIXTURE.tags.acmeRoses, name: 'Roses' },
        statistic: expect.objectContaining({ value: null, people: 0, suppressed: true }),
      },
    ]);
    expect(await tagStatistics(db, policy, globex, { from: 0, to: FIXTURE_NOW })).toEqual([]);
  });
});
