import { FIXTURE, updateRows } from '@parley/db/testing';
import { parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

describe('overview and accounts', () => {
  it('counts accounts by region, visitors, conversations, pending mail and overdue requests', async () => {
    const h = await adminHarness();
    await updateRows(h.db, 'accounts', { closedAt: 1 }, { id: FIXTURE.accounts.initech.id });
    const session = await h.signIn();
    const r = await h.query<Record<string, unknown>>('overview.counts', undefined, session);
    expect(r.data).toEqual({
      accountsByRegion: [
        { region: 'DE', open: 1, closed: 0 },
        { region: 'SG', open: 0, closed: 1 },
        { region: 'US', open: 1, closed: 0 },
      ],
      visitors: 5,
      conversations: { waiting: 2, active: 1, closed: 1 },
      pendingMail: 1,
      overdueRequests: 1,
      openDisclosures: 0,
      region: 'DE',
      policyVersion: parleyPolicy.versions.at(-1)!.version,
    });
  });

  it('lists accounts with their region and team size, and nothing from chats or contacts', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query<Array<Record<string, unknown>>>('accounts.list', undefined, session);
    expect(r.data.map((a) => [a.organization, a.region, a.agents])).toEqual([
      ['Acme Gardening GmbH', 'DE', 2],
      ['Globex Inc.', 'US', 1],
      ['Initech Pte. Ltd.', 'SG', 1],
    ]);
    expect(Object.keys(r.data[0]!).sort()).toEqual([
      'agents',
      'closedAt',
      'createdAt',
      'id',
      'organization',
      'region',
    ]);
    expect(JSON.stringify(r.data)).not.toContain('@');
  });
});

describe('requests', () => {
  it('RET-4: lists every account’s visitor requests, overdue first, without visitor ids', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query<Array<Record<string, unknown>>>('requests.list', undefined, session);
    expect(r.data.map((x) => [x.id, x.state, x.organization])).toEqual([
      [FIXTURE.requests.annaAccess, 'overdue', 'Acme Gardening GmbH'],
      [FIXTURE.requests.benErasure, 'open', 'Acme Gardening GmbH'],
    ]);
    expect(JSON.stringify(r.data)).not.toContain('vis_');
    const overdue = await h.query<unknown[]>('requests.list', { state: 'overdue' }, session);
    expect(overdue.data).toHaveLength(1);
  });
});

describe('audit log', () => {
  it('pages through entries, newest first, naming staff', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    for (let i = 0; i < 4; i++) await h.signIn();
    const first = await h.query<{
      entries: Array<{ id: number; action: string; actorName: string | null }>;
      nextBefore: number | null;
    }>('audit.list', { limit: 3 }, session);
    expect(first.data.entries.map((e) => e.action)).toEqual([
      'staff.signed_in',
      'staff.signed_in',
      'staff.signed_in',
    ]);
    expect(first.data.entries[0]!.actorName).toBe('Oona Operator');
    const second = await h.query<{ entries: Array<{ id: number }>; nextBefore: number | null }>(
      'audit.list',
      { limit: 3, before: first.data.nextBefore },
      session,
    );
    expect(second.data.entries).toHaveLength(3);
    expect(second.data.entries[0]!.id).toBeLessThan(first.data.entries[2]!.id);
    expect(second.data.nextBefore).toBeNull();
  });
});
