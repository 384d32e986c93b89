import type { ParleyDb } from '@parley/db';
import { FIXTURE, readRows } from '@parley/db/testing';
import { parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const firstTwo = { versions: parleyPolicy.versions.slice(0, 2) };
const firstThree = { versions: parleyPolicy.versions.slice(0, 3) };

const notices = (h: { db: ParleyDb }) => readRows(h.db, 'noticeOutbox', { kind: 'policy_change' });

describe('policy', () => {
  it('CHG-1: the first publication records the history without notices', async () => {
    const h = await adminHarness({ policy: firstTwo });
    const session = await h.signIn();
    const r = await h.mutate<{ published: Array<{ version: string }>; noticesQueued: number }>(
      'policy.publish',
      undefined,
      session,
    );
    expect(r.data.published.map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect(r.data.noticesQueued).toBe(0);
    expect(await notices(h)).toEqual([]);
  });

  it('CHG-1: publishing a significant change queues a notice to every account holder, written from the diff', async () => {
    const before = await adminHarness({ policy: firstTwo, policyUrl: 'https://chat.example.org/privacy' });
    await before.mutate('policy.publish', undefined, await before.signIn());

    const h = await adminHarness({
      db: before.db,
      policy: firstThree,
      policyUrl: 'https://chat.example.org/privacy',
    });
    const session = await h.signIn();
    const pending = await h.query<{
      pending: Array<{ version: string; significance: string; willNotify: boolean }>;
    }>('policy.versions', undefined, session);
    expect(pending.data.pending).toEqual([
      expect.objectContaining({ version: '1.2.0', significance: 'significant', willNotify: true }),
    ]);

    const r = await h.mutate<{
      published: Array<{ version: string; significant: boolean; inForceFrom: string }>;
      noticesQueued: number;
    }>('policy.publish', undefined, session);
    // The fixture's clock reads 1 November 2026: the change applies after the 30 days' notice.
    expect(r.data.published).toEqual([
      { version: '1.2.0', significant: true, inForceFrom: '2026-12-01T12:00:00.000Z' },
    ]);
    expect(r.data.noticesQueued).toBe(3);
    const sent = await notices(h);
    expect(sent.map((n) => n.toEmail).sort()).toEqual([
      'gina@globex.test',
      'ian@initech.test',
      FIXTURE.agents.acmeOwner.email,
    ]);
    expect(sent[0]!.subject).toBe('Our privacy policy changes on 2026-12-01: version 1.2.0');
    expect(sent[0]!.body).toContain('parley_remember_email');
    expect(sent[0]!.body).toContain('https://chat.example.org/privacy');

    const versions = await h.query<{
      published: Array<{ version: string; significant: boolean }>;
      pending: unknown[];
    }>('policy.versions', undefined, session);
    expect(versions.data.pending).toEqual([]);
    expect(versions.data.published.map((v) => [v.version, v.significant])).toEqual([
      ['1.0.0', false],
      ['1.1.0', true],
      ['1.2.0', true],
    ]);

    // Publishing again has nothing to do and tells nobody twice.
    const again = await h.mutate<{ noticesQueued: number }>('policy.publish', undefined, session);
    expect(again.data.noticesQueued).toBe(0);
  });

  it('CHG-1: compares any two versions', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query<{
      significant: boolean;
      changes: Array<{ area: string; subject: string }>;
      notice: string;
    }>('policy.diff', { from: '1.0.0', to: '1.2.0' }, session);
    expect(r.data.significant).toBe(true);
    expect(r.data.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'region', subject: 'CA' }),
        expect.objectContaining({ area: 'cookie', subject: 'parley_remember_email' }),
      ]),
    );
    expect(r.data.notice).toContain('Data may now be processed in CA.');
    const backwards = await h.query<{ changes: unknown[] }>(
      'policy.diff',
      { from: '1.2.0', to: '1.1.0' },
      session,
    );
    expect(backwards.data.changes.length).toBeGreaterThan(0);
    const same = await h.query<{ changes: unknown[] }>(
      'policy.diff',
      { from: '1.1.0', to: '1.1.0' },
      session,
    );
    expect(same.data.changes).toEqual([]);
  });

  it('refuses a version that does not exist', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query('policy.diff', { from: '1.0.0', to: '9.9.9' }, session);
    expect(r.status).toBe(404);
    expect(r.error?.message).toBe('There is no policy version 9.9.9.');
    expect((await h.query('policy.diff', { from: 'latest', to: '1.0.0' }, session)).status).toBe(400);
  });

  it('gives the rendered policy as a document tree and the data map', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const doc = await h.query<{ version: string; sections: Array<{ id: string }> }>(
      'policy.document',
      undefined,
      session,
    );
    expect(doc.data.version).toBe(parleyPolicy.versions.at(-1)!.version);
    expect(doc.data.sections.map((s) => s.id)).toContain('cookies');
    const map = await h.query<Array<{ activity: string; processors: Array<{ name: string }> }>>(
      'policy.dataMap',
      undefined,
      session,
    );
    expect(map.data.length).toBeGreaterThan(0);
    expect(map.data.some((a) => a.processors.some((p) => p.name === 'Card payment processor'))).toBe(true);
  });
});
