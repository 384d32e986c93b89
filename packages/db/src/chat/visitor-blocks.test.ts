import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { eraseVisitor } from '../erase-visitor.ts';
import { hashChatId } from '../ids.ts';
import { sweepRetention } from '../retention.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, readRows } from '../testing/index.ts';
import {
  BlockError,
  blockNetwork,
  blockPeriodDays,
  blockVisitor,
  findActiveBlock,
  liftBlock,
  listBlocks,
  setBlockNetwork,
} from './visitor-blocks.ts';

const content = contentInForce(parleyPolicy);
const DAY = 86_400_000;
const { acme, globex } = FIXTURE.accounts;
const { ben, gpc } = FIXTURE.visitors;
const owner = FIXTURE.agents.acmeOwner;
const now = FIXTURE_NOW;
const benHash = hashChatId(ben.chatId);

const makeBlock = (
  db: Awaited<ReturnType<typeof createTestDatabase>>,
  input: { days?: number; accountId?: string; visitorId?: string } = {},
) =>
  blockVisitor(db, {
    accountId: input.accountId ?? acme.id,
    visitorId: input.visitorId ?? ben.id,
    agentId: owner.id,
    days: input.days ?? 7,
    reason: 'Spam links',
    network: null,
    content,
    now,
  });
const blockBen = (db: Awaited<ReturnType<typeof createTestDatabase>>, extra: { days?: number } = {}) =>
  makeBlock(db, extra);

describe('SEC-1: blocking a visitor', () => {
  it('offers the periods the policy allows, up to its 30 days', () => {
    expect(blockPeriodDays(content)).toEqual([1, 7, 30]);
    const shorter = structuredClone(content);
    for (const rule of shorter.retention)
      if (rule.store === 'visitor_blocks') rule.retention = { after: 'collected', keep: 'P7D' };
    expect(blockPeriodDays(shorter)).toEqual([1, 7]);
    const none = { ...content, retention: content.retention.filter((r) => r.store !== 'visitor_blocks') };
    expect(blockPeriodDays(none)).toEqual([]);
  });

  it('stores the networks of truncated addresses, never anything else', () => {
    expect(blockNetwork('203.0.113.0')).toBe('203.0.113.0/24');
    expect(blockNetwork('2001:db8:1::')).toBe('2001:db8:1::/48');
    expect(blockNetwork('203.0.113.7')).toBeNull();
    expect(blockNetwork(null)).toBeNull();
  });

  it('blocks by chat-id hash and the last logged network, for the period chosen, with an audit entry', async () => {
    const db = await createTestDatabase();
    const block = await blockBen(db);
    expect(block).toMatchObject({
      visitorId: ben.id,
      network: '2001:db8:1::/48',
      reason: 'Spam links',
      blockedBy: { id: owner.id, name: owner.name },
      createdAt: now,
      expiresAt: now + 7 * DAY,
    });
    const found = (q: { chatIdHash?: string; network?: string; at?: number; accountId?: string }) =>
      findActiveBlock(db, {
        accountId: q.accountId ?? acme.id,
        chatIdHash: q.chatIdHash ?? null,
        network: q.network ?? null,
        now: q.at ?? now + 1,
      });
    expect(await found({ chatIdHash: benHash })).toEqual({ id: block.id, expiresAt: now + 7 * DAY });
    // Another chat id from the same network is kept out as well; another network with another chat id is not.
    expect(await found({ chatIdHash: 'other', network: '2001:db8:1::/48' })).toMatchObject({ id: block.id });
    expect(await found({ chatIdHash: 'other', network: '2001:db8:2::/48' })).toBeNull();
    expect(await found({})).toBeNull();
    // Tenant isolation: the block is Acme's alone.
    expect(await found({ chatIdHash: benHash, accountId: globex.id })).toBeNull();
    // It ends by itself.
    expect(await found({ chatIdHash: benHash, at: now + 7 * DAY })).toBeNull();
    expect(await readRows(db, 'auditLog', { action: 'visitor.blocked', accountId: acme.id })).toEqual([
      expect.objectContaining({
        actorId: owner.id,
        detail: { blockId: block.id, visitorId: ben.id, days: 7 },
      }),
    ]);
  });

  it('refuses a period the policy does not allow and a visitor of another account', async () => {
    const db = await createTestDatabase();
    await expect(blockBen(db, { days: 31 })).rejects.toThrow(BlockError);
    await expect(makeBlock(db, { accountId: globex.id, days: 1 })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await readRows(db, 'visitorBlocks', { visitorId: ben.id })).toEqual([]);
  });

  it('takes the network an open socket tells for a visitor with none logged (a privacy signal)', async () => {
    const db = await createTestDatabase();
    const gpcBlock = await makeBlock(db, { visitorId: gpc.id, days: 1 });
    expect(gpcBlock.network).toBeNull();
    expect(
      await setBlockNetwork(db, { accountId: globex.id, blockId: gpcBlock.id, network: '192.0.2.0/24' }),
    ).toBe(false);
    expect(
      await setBlockNetwork(db, { accountId: acme.id, blockId: gpcBlock.id, network: '192.0.2.0/24' }),
    ).toBe(true);
    // A network once set stays: a later socket from elsewhere does not move the block.
    expect(
      await setBlockNetwork(db, { accountId: acme.id, blockId: gpcBlock.id, network: '198.51.100.0/24' }),
    ).toBe(false);
    expect(
      await findActiveBlock(db, { accountId: acme.id, chatIdHash: null, network: '192.0.2.0/24', now }),
    ).toMatchObject({ id: gpcBlock.id });
  });

  it('lists the blocks in force, and lifts one early with an audit entry', async () => {
    const db = await createTestDatabase();
    const week = await blockBen(db);
    const day = await blockBen(db, { days: 1 });
    // The fixture's block on Anna ended weeks ago and is not listed.
    expect((await listBlocks(db, acme.id, now)).map((b) => b.id)).toEqual([day.id, week.id]);
    expect(await listBlocks(db, globex.id, now)).toEqual([]);
    expect(await liftBlock(db, { accountId: globex.id, blockId: week.id, agentId: owner.id, now })).toBe(
      false,
    );
    expect(await liftBlock(db, { accountId: acme.id, blockId: week.id, agentId: owner.id, now })).toBe(true);
    expect(await liftBlock(db, { accountId: acme.id, blockId: week.id, agentId: owner.id, now })).toBe(false);
    expect((await listBlocks(db, acme.id, now)).map((b) => b.id)).toEqual([day.id]);
    expect(await readRows(db, 'auditLog', { action: 'visitor.unblocked' })).toHaveLength(1);
  });

  it("outlives the visitor's erasure until it ends, without the link to them; the sweep deletes it 30 days on", async () => {
    const db = await createTestDatabase();
    const block = await blockBen(db, { days: 30 });
    await eraseVisitor(db, {
      accountId: acme.id,
      visitorId: ben.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(await readRows(db, 'visitorBlocks', { id: block.id })).toEqual([
      expect.objectContaining({ visitorId: null, chatIdHash: benHash, network: '2001:db8:1::/48' }),
    ]);
    expect(
      await findActiveBlock(db, { accountId: acme.id, chatIdHash: benHash, network: null, now: now + DAY }),
    ).toMatchObject({ id: block.id });

    await sweepRetention(db, content, { now: now + 30 * DAY - 1 });
    expect(await readRows(db, 'visitorBlocks', { id: block.id })).toHaveLength(1);
    await sweepRetention(db, content, { now: now + 30 * DAY });
    expect(await readRows(db, 'visitorBlocks', { id: block.id })).toEqual([]);
  });
});
