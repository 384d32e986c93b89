import { FIXTURE } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

interface Row {
  id: string;
  status: string;
  ground: string | null;
  reference: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: number | null;
  disclosedAt: number | null;
  organization: string | null;
  categories: Array<{ key: string; name: string }>;
}

const request = {
  requester: 'Berlin Public Prosecutor',
  ground: 'law',
  reference: 'Order 12 Js 345/26',
  categories: ['user.contact.email', 'user.content.private'],
  accountId: FIXTURE.accounts.acme.id,
};

describe('disclosures', () => {
  it('SHR-1: records a request, then its approval with the approving staff member, then the disclosure', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const recorded = await h.mutate<Row>('disclosures.record', request, session);
    expect(recorded.status).toBe(200);
    expect(recorded.data).toMatchObject({
      status: 'received',
      ground: 'law',
      reference: 'Order 12 Js 345/26',
      organization: 'Acme Gardening GmbH',
      decidedBy: null,
    });
    expect(recorded.data.categories.map((c) => c.name)).toEqual(['Email address', 'Chat content']);

    h.clock.now += 60_000;
    const approved = await h.mutate<Row>(
      'disclosures.decide',
      { id: recorded.data.id, decision: 'approve' },
      session,
    );
    expect(approved.data).toMatchObject({
      status: 'approved',
      decidedBy: FIXTURE.staff.operator.id,
      decidedByName: FIXTURE.staff.operator.name,
      decidedAt: h.clock.now,
    });

    h.clock.now += 60_000;
    const disclosed = await h.mutate<Row>(
      'disclosures.decide',
      { id: recorded.data.id, decision: 'disclose' },
      session,
    );
    expect(disclosed.data).toMatchObject({
      status: 'disclosed',
      decidedBy: FIXTURE.staff.operator.id,
      disclosedAt: h.clock.now,
    });

    const list = await h.query<Row[]>('disclosures.list', undefined, session);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ id: recorded.data.id, status: 'disclosed' });

    const audit = await h.query<{ entries: Array<{ action: string; actorId: string }> }>(
      'audit.list',
      { action: 'disclosure.' },
      session,
    );
    expect(audit.data.entries.map((e) => e.action)).toEqual([
      'disclosure.disclosed',
      'disclosure.approved',
      'disclosure.recorded',
    ]);
    expect(new Set(audit.data.entries.map((e) => e.actorId))).toEqual(new Set([FIXTURE.staff.operator.id]));
  });

  it('SHR-1: a refused request records who refused it and can no longer be disclosed', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const { data } = await h.mutate<Row>('disclosures.record', { ...request, accountId: undefined }, session);
    const refused = await h.mutate<Row>('disclosures.decide', { id: data.id, decision: 'refuse' }, session);
    expect(refused.data).toMatchObject({ status: 'refused', decidedBy: FIXTURE.staff.operator.id });
    const again = await h.mutate('disclosures.decide', { id: data.id, decision: 'disclose' }, session);
    expect(again.status).toBe(409);
    expect(again.error?.data.appCode).toBe('invalid_state');
  });

  it('SHR-1: nothing can be disclosed before it is approved', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const { data } = await h.mutate<Row>('disclosures.record', request, session);
    const r = await h.mutate('disclosures.decide', { id: data.id, decision: 'disclose' }, session);
    expect(r.status).toBe(409);
  });

  it.each([
    { name: 'a category the policy does not declare', categories: ['user.biometric'] },
    { name: 'a category the installation never stores', categories: ['user.childrens'] },
  ])('refuses $name', async ({ categories }) => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.mutate('disclosures.record', { ...request, categories }, session);
    expect(r.status).toBe(400);
    expect(r.error?.message).toContain('Choose from the policy');
  });

  it('refuses an unknown account or request id', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    expect(
      (await h.mutate('disclosures.record', { ...request, accountId: 'acc_nope' }, session)).status,
    ).toBe(404);
    expect(
      (await h.mutate('disclosures.decide', { id: 'dsc_nope', decision: 'approve' }, session)).status,
    ).toBe(404);
  });

  it('offers the grounds and the stored categories of the policy', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query<{ grounds: Array<{ id: string }>; categories: Array<{ key: string }> }>(
      'disclosures.options',
      undefined,
      session,
    );
    expect(r.data.grounds.map((g) => g.id)).toEqual([
      'consent',
      'law',
      'terms',
      'fraud_or_security',
      'safety',
    ]);
    expect(r.data.categories.map((c) => c.key)).toContain('user.contact.email');
  });
});
