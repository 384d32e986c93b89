import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addDuration,
  contentInForce,
  type PolicyModel,
  parleyPolicy,
  upcomingVersions,
  versionInForce,
} from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, migrate, openDatabase, sqliteOf } from './connection.ts';
import {
  markMailSent,
  pendingMail,
  policyAsRunHere,
  publishPolicyVersions,
  queueMergerNotice,
} from './notices.ts';
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
    expect(result).toMatchObject({
      published: [{ version: '1.4.0', significant: true }],
      noticesQueued: 3,
    });
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
    expect(result).toMatchObject({
      published: [{ version: '1.4.0', significant: false }],
      noticesQueued: 0,
    });
  });

  it('sends no notice to a closed account', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy);
    sqliteOf(db).prepare("UPDATE accounts SET closed_at = 1 WHERE id = 'acc_initech'").run();
    const result = await publishPolicyVersions(
      db,
      withNewVersion((c) => c.regions.available.push('JP')),
    );
    expect(result.noticesQueued).toBe(2);
  });
});

describe('CHG-1: when a version comes into force here', () => {
  const FIRST_START = Date.parse('2026-12-01T08:00:00Z');
  const UPGRADE = Date.parse('2027-01-10T08:00:00Z');
  const DAY = 86_400_000;
  const withCookie = () =>
    withNewVersion((c) => {
      c.cookies.push({ ...c.cookies.find((k) => k.name === 'parley_chat_id')!, name: 'parley_theme' });
    });

  it('CHG-1: an installation that published versions before it recorded their dates keeps them in force', async () => {
    // The migrations as they stood before this installation recorded when each version comes into force.
    const earlier = mkdtempSync(join(tmpdir(), 'parley-migrations-'));
    try {
      cpSync(defaultMigrationsFolder, earlier, { recursive: true });
      const journalPath = join(earlier, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
      const last = journal.entries.findIndex((e) => e.tag.endsWith('policy_version_runs'));
      expect(last).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, last);
      writeFileSync(journalPath, JSON.stringify(journal));
      const db = openDatabase(':memory:');
      await migrate(db, earlier);
      const insert = sqliteOf(db).prepare(
        'INSERT INTO policy_versions (version, date, summary, content_json, significant, published_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const v of parleyPolicy.versions)
        insert.run(v.version, v.date, v.summary, JSON.stringify(v.content), 0, FIRST_START);

      await migrate(db);
      const { model, published } = await publishPolicyVersions(db, parleyPolicy, { now: UPGRADE });
      expect(published).toEqual([]);
      expect(versionInForce(model, UPGRADE).version).toBe('1.3.0');
      expect(model.versions.map((v) => v.inForceFrom)).toEqual(
        parleyPolicy.versions.map(() => new Date(FIRST_START).toISOString()),
      );
    } finally {
      rmSync(earlier, { recursive: true, force: true });
    }
  });

  it('CHG-1: a first start puts the latest version in force at once', async () => {
    const db = await createTestDatabase();
    const { model } = await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    expect(versionInForce(model, FIRST_START).version).toBe('1.3.0');
    expect(upcomingVersions(model, FIRST_START)).toEqual([]);
  });

  it('CHG-1: a significant change applies 30 days after its notice was queued, not when the server starts', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const { model, published } = await publishPolicyVersions(db, withCookie(), { now: UPGRADE });
    const applies = addDuration(new Date(UPGRADE), 'P30D').getTime();
    expect(published).toEqual([
      { version: '1.4.0', significant: true, inForceFrom: new Date(applies).toISOString() },
    ]);
    expect(versionInForce(model, UPGRADE).version).toBe('1.3.0');
    expect(contentInForce(model, applies - 1).cookies.map((c) => c.name)).not.toContain('parley_theme');
    expect(contentInForce(model, applies).cookies.map((c) => c.name)).toContain('parley_theme');
    const notice = (await pendingMail(db)).find((m) => m.kind === 'policy_change')!;
    expect(notice.subject).toBe('Our privacy policy changes on 2027-02-09: version 1.4.0');
    expect(notice.body).toContain('The changes apply from 2027-02-09');
  });

  it('CHG-1: another process reading this database sees the same dates, without publishing anything', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const { model } = await publishPolicyVersions(db, withCookie(), { now: UPGRADE });
    const before = (await pendingMail(db)).length;
    const read = await policyAsRunHere(db, withCookie());
    expect(read).toEqual(model);
    expect(versionInForce(read, UPGRADE + DAY).version).toBe('1.3.0');
    expect((await pendingMail(db)).length).toBe(before);
  });

  it('CHG-1: a restart keeps the date this installation recorded instead of starting the notice period again', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const first = await publishPolicyVersions(db, withCookie(), { now: UPGRADE });
    const again = await publishPolicyVersions(db, withCookie(), { now: UPGRADE + 10 * DAY });
    expect(again.published).toEqual([]);
    expect(again.model.versions.at(-1)!.inForceFrom).toBe(first.model.versions.at(-1)!.inForceFrom);
    expect((await pendingMail(db)).filter((m) => m.kind === 'policy_change')).toHaveLength(3);
  });

  it('CHG-1: a minor version that follows a pending significant one waits for it', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const pending = withCookie();
    await publishPolicyVersions(db, pending, { now: UPGRADE });
    const reworded = structuredClone(pending);
    const content = structuredClone(reworded.versions.at(-1)!.content);
    content.promises[0]!.statement = 'Reworded.';
    reworded.versions.push({ version: '1.4.1', date: '2026-12-20', summary: 'Wording', content });
    const { model, noticesQueued } = await publishPolicyVersions(db, reworded, { now: UPGRADE + DAY });
    expect(noticesQueued).toBe(0);
    expect(versionInForce(model, UPGRADE + 2 * DAY).version).toBe('1.3.0');
    expect(model.versions.at(-1)!.inForceFrom).toBe(model.versions.at(-2)!.inForceFrom);
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
