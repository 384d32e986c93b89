import { type PolicyModel, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { markMailSent, pendingMail, publishPolicyVersions, queueMergerNotice } from './notices.ts';
import { createTestDatabase, FIXTURE_NOW } from './testing/index.ts';

function withNewVersion(
  edit: (content: PolicyModel['versions'][number]['content']) => void,
  version = '1.4.0',
): PolicyModel {
  const model = structuredClone(parleyPolicy);
  const content = structuredClone(model.versions.at(-1)!.content);
  edit(content);
  model.versions.push({ version, date: '2026-12-15', summary: 'Test version', content });
  return model;
}

describe('CHG-1: publishing a policy version', () => {
  it('publishes the existing history on first start without notices', async () => {
    const db = await createTestDatabase();
    const result = await publishPolicyVersions(db, parleyPolicy);
    expect(result.published.map((p) => p.version)).toEqual(['1.0.0', '1.1.0', '1.2.0', '1.3.0']);
    expect(result.noticesQueued).toBe(0);
  });

  it('queues a notice to every open account, its summary generated from the diff, for a significant change', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy);
    const before = (await pendingMail(db)).length;
    const result = await publishPolicyVersions(
      db,
      withNewVersion((c) => c.regions.available.push('JP')),
      { policyUrl: 'https://chat.example/privacy/versions' },
    );
    expect(result).toEqual({ published: [{ version: '1.4.0', significant: true }], noticesQueued: 3 });
    const notices = (await pendingMail(db)).filter((m) => m.kind === 'policy_change');
    expect(notices).toHaveLength(3);
    expect(notices[0]!.body).toContain('Data may now be processed in JP.');
    expect((await pendingMail(db)).length).toBe(before + 3);
  });

  it('queues nothing for a change in wording only', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy);
    const result = await publishPolicyVersions(
      db,
      withNewVersion((c) => {
        c.promises[0]!.statement = 'Reworded.';
      }),
    );
    expect(result).toEqual({ published: [{ version: '1.4.0', significant: false }], noticesQueued: 0 });
  });

  it('sends no notice to a closed account', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy);
    db.sqlite.prepare("UPDATE accounts SET closed_at = 1 WHERE id = 'acc_initech'").run();
    const result = await publishPolicyVersions(
      db,
      withNewVersion((c) => c.regions.available.push('JP')),
    );
    expect(result.noticesQueued).toBe(2);
  });
});

describe('SHR-2: merger notices', () => {
  it('tells every account holder who takes over and when, before the transfer', async () => {
    const db = await createTestDatabase();
    const queued = await queueMergerNotice(db, {
      acquirer: 'Example Holdings',
      transferDate: '2027-03-01',
      now: FIXTURE_NOW,
    });
    expect(queued).toBe(3);
    const mail = (await pendingMail(db)).filter((m) => m.kind === 'merger');
    expect(mail.map((m) => m.to).sort()).toEqual([
      'gina@globex.test',
      'ian@initech.test',
      'olivia@acme.test',
    ]);
    expect(mail[0]!.body).toContain('on 2027-03-01');
  });

  it('refuses a transfer date in the past: people must be told before', async () => {
    const db = await createTestDatabase();
    await expect(
      queueMergerNotice(db, { acquirer: 'X', transferDate: '2020-01-01', now: FIXTURE_NOW }),
    ).rejects.toThrow(/future date/);
  });

  it('marks mail as sent so it is not sent twice', async () => {
    const db = await createTestDatabase();
    const [first] = await pendingMail(db);
    await markMailSent(db, first!.id);
    expect((await pendingMail(db)).map((m) => m.id)).not.toContain(first!.id);
  });
});
