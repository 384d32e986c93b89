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
import { defaultMigrationsFolder, migrate, openDatabase, type ParleyDb } from './connection.ts';
import {
  claimMail,
  MAIL_MAX_ATTEMPTS,
  mailOutboxCounts,
  markMailFailed,
  markMailSent,
  type OutgoingMail,
  pendingMail,
  policyAsRunHere,
  publishPolicyVersions,
  queueMail,
  queueMergerNotice,
} from './notices.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRows,
  testDialect,
  updateRows,
} from './testing/index.ts';

function withNewVersion(
  edit: (content: PolicyModel['versions'][number]['content']) => void,
  version = '1.5.0',
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
    expect(result.published.map((p) => p.version)).toEqual(['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0']);
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
      published: [{ version: '1.5.0', significant: true }],
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
      published: [{ version: '1.5.0', significant: false }],
      noticesQueued: 0,
    });
  });

  it('sends no notice to a closed account', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy);
    await updateRows(db, 'accounts', { closedAt: 1 }, { id: FIXTURE.accounts.initech.id });
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

  // SQLite's migration history has a step before these dates were recorded; PostgreSQL's starts with them.
  it.skipIf(testDialect() !== 'sqlite')(
    'CHG-1: an installation that published versions before it recorded their dates keeps them in force',
    async () => {
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
        await insertRows(
          db,
          'policyVersions',
          parleyPolicy.versions.map((v) => ({
            version: v.version,
            date: v.date,
            summary: v.summary,
            contentJson: JSON.stringify(v.content),
            significant: false,
            publishedAt: FIRST_START,
          })),
        );

        await migrate(db);
        const { model, published } = await publishPolicyVersions(db, parleyPolicy, { now: UPGRADE });
        expect(published).toEqual([]);
        expect(versionInForce(model, UPGRADE).version).toBe('1.4.0');
        expect(model.versions.map((v) => v.inForceFrom)).toEqual(
          parleyPolicy.versions.map(() => new Date(FIRST_START).toISOString()),
        );
      } finally {
        rmSync(earlier, { recursive: true, force: true });
      }
    },
  );

  it('CHG-1: a first start puts the latest version in force at once', async () => {
    const db = await createTestDatabase();
    const { model } = await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    expect(versionInForce(model, FIRST_START).version).toBe('1.4.0');
    expect(upcomingVersions(model, FIRST_START)).toEqual([]);
  });

  it('CHG-1: a significant change applies 30 days after its notice was queued, not when the server starts', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const { model, published } = await publishPolicyVersions(db, withCookie(), { now: UPGRADE });
    const applies = addDuration(new Date(UPGRADE), 'P30D').getTime();
    expect(published).toEqual([
      { version: '1.5.0', significant: true, inForceFrom: new Date(applies).toISOString() },
    ]);
    expect(versionInForce(model, UPGRADE).version).toBe('1.4.0');
    expect(contentInForce(model, applies - 1).cookies.map((c) => c.name)).not.toContain('parley_theme');
    expect(contentInForce(model, applies).cookies.map((c) => c.name)).toContain('parley_theme');
    const notice = (await pendingMail(db)).find((m) => m.kind === 'policy_change')!;
    expect(notice.subject).toBe('Our privacy policy changes on 2027-02-09: version 1.5.0');
    expect(notice.body).toContain('The changes apply from 2027-02-09');
  });

  it('CHG-1: another process reading this database sees the same dates, without publishing anything', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const { model } = await publishPolicyVersions(db, withCookie(), { now: UPGRADE });
    const before = (await pendingMail(db)).length;
    const read = await policyAsRunHere(db, withCookie());
    expect(read).toEqual(model);
    expect(versionInForce(read, UPGRADE + DAY).version).toBe('1.4.0');
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

  it('CHG-1: two nodes starting at once record the history once', async () => {
    const db = await createTestDatabase();
    const [a, b] = await Promise.all([
      publishPolicyVersions(db, parleyPolicy, { now: FIRST_START }),
      publishPolicyVersions(db, parleyPolicy, { now: FIRST_START + 1 }),
    ]);
    expect([...a.published, ...b.published].map((p) => p.version)).toEqual(
      parleyPolicy.versions.map((v) => v.version),
    );
    expect(b.model).toEqual(a.model);
    expect(await countRows(db, 'policyVersionRuns')).toBe(parleyPolicy.versions.length);
  });

  it('CHG-1: two nodes upgrading at once queue each notice once and agree on when the change applies', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    // With a connection open for each, neither has to wait for one while the other publishes.
    await Promise.all([pendingMail(db), pendingMail(db)]);
    const [a, b] = await Promise.all([
      publishPolicyVersions(db, withCookie(), { now: UPGRADE }),
      publishPolicyVersions(db, withCookie(), { now: UPGRADE + 1 }),
    ]);
    expect(a.noticesQueued + b.noticesQueued).toBe(3);
    expect(b.model).toEqual(a.model);
    const notices = await readRows(db, 'noticeOutbox', { kind: 'policy_change' });
    expect(notices.map((n) => n.toEmail).sort()).toEqual([
      'gina@globex.test',
      'ian@initech.test',
      'olivia@acme.test',
    ]);
  });

  it('CHG-1: a minor version that follows a pending significant one waits for it', async () => {
    const db = await createTestDatabase();
    await publishPolicyVersions(db, parleyPolicy, { now: FIRST_START });
    const pending = withCookie();
    await publishPolicyVersions(db, pending, { now: UPGRADE });
    const reworded = structuredClone(pending);
    const content = structuredClone(reworded.versions.at(-1)!.content);
    content.promises[0]!.statement = 'Reworded.';
    reworded.versions.push({ version: '1.5.1', date: '2026-12-20', summary: 'Wording', content });
    const { model, noticesQueued } = await publishPolicyVersions(db, reworded, { now: UPGRADE + DAY });
    expect(noticesQueued).toBe(0);
    expect(versionInForce(model, UPGRADE + 2 * DAY).version).toBe('1.4.0');
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

describe('the outbox, drained by mailers that claim what they send', () => {
  const LEASE = 15 * 60_000;
  const SEEDED_MAIL = 'out_anna_transcript';

  const queue = (db: ParleyDb, i: number, now = FIXTURE_NOW + i) =>
    queueMail(db, {
      kind: 'invitation',
      to: `invitee${i}@example.test`,
      subject: `Invitation ${i}`,
      body: 'Join us',
      headers: { 'X-Invitation': String(i) },
      now,
    });

  /** One mailer's run as the server's is: takes a few mails at a time, sends each, records that it went. */
  async function drain(db: ParleyDb, sent: OutgoingMail[]): Promise<void> {
    for (;;) {
      const taken = await claimMail(db, { limit: 2, leaseMs: LEASE, now: FIXTURE_NOW });
      if (taken.length === 0) return;
      for (const mail of taken) {
        // Sending takes a while, during which the other mailer runs.
        await new Promise((resolve) => setImmediate(resolve));
        sent.push(mail);
        await markMailSent(db, mail.id, FIXTURE_NOW);
      }
    }
  }

  it('takes the oldest mail first, up to the limit, as the mailer sends it', async () => {
    const db = await createTestDatabase();
    const ids = [await queue(db, 3), await queue(db, 1), await queue(db, 2)];
    const taken = await claimMail(db, { limit: 3, leaseMs: LEASE, now: FIXTURE_NOW + 10 });
    expect(taken.map((m) => m.id)).toEqual([SEEDED_MAIL, ids[1], ids[2]]);
    expect(taken[1]).toEqual({
      id: ids[1],
      kind: 'invitation',
      to: 'invitee1@example.test',
      subject: 'Invitation 1',
      body: 'Join us',
      headers: { 'X-Invitation': '1' },
      attempts: 0,
    });
  });

  it('counts what the outbox holds: pending mail and mail given up, never mail sent', async () => {
    const db = await createTestDatabase();
    const [first, second, third] = [await queue(db, 1), await queue(db, 2), await queue(db, 3)];
    expect(await mailOutboxCounts(db)).toEqual({ pending: 4, failed: 0 });
    await markMailSent(db, first, FIXTURE_NOW);
    for (let attempt = 0; attempt < MAIL_MAX_ATTEMPTS; attempt++) await markMailFailed(db, second, 'refused');
    await markMailFailed(db, third, 'refused');
    expect(await mailOutboxCounts(db)).toEqual({ pending: 2, failed: 1 });
  });

  it('two mailers draining at once send each queued mail exactly once', async () => {
    const db = await createTestDatabase();
    const queued = [SEEDED_MAIL];
    for (let i = 0; i < 9; i++) queued.push(await queue(db, i));
    const sent: OutgoingMail[] = [];
    await Promise.all([drain(db, sent), drain(db, sent)]);
    expect(sent.map((m) => m.id).sort()).toEqual(queued.sort());
    expect(await pendingMail(db)).toEqual([]);
    expect(await countRows(db, 'noticeOutbox', { attempts: 1 })).toBe(queued.length);
  });

  it('a mail whose mailer stopped while sending it goes again once its lease has ended', async () => {
    const db = await createTestDatabase();
    const [taken] = await claimMail(db, { limit: 10, leaseMs: LEASE, now: FIXTURE_NOW });
    expect(taken?.id).toBe(SEEDED_MAIL);
    // The mailer that took it stops here: it neither sent it nor said it failed.
    expect(await claimMail(db, { limit: 10, leaseMs: LEASE, now: FIXTURE_NOW + LEASE - 1 })).toEqual([]);
    const again = await claimMail(db, { limit: 10, leaseMs: LEASE, now: FIXTURE_NOW + LEASE });
    expect(again).toEqual([taken]);
    expect(await markMailSent(db, SEEDED_MAIL, FIXTURE_NOW + LEASE)).toBe(true);
    expect(await claimMail(db, { limit: 10, leaseMs: LEASE, now: FIXTURE_NOW + 10 * LEASE })).toEqual([]);
  });

  it('a mail that failed is taken again by the next run, until it is given up', async () => {
    const db = await createTestDatabase();
    for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      const [taken] = await claimMail(db, { limit: 10, leaseMs: LEASE, now: FIXTURE_NOW });
      expect(taken).toMatchObject({ id: SEEDED_MAIL, attempts: attempt - 1 });
      await markMailFailed(db, SEEDED_MAIL, 'refused for anna@example.org');
    }
    expect(await claimMail(db, { limit: 10, leaseMs: LEASE, now: FIXTURE_NOW })).toEqual([]);
    const [row] = await readRows(db, 'noticeOutbox', { id: SEEDED_MAIL });
    expect(row).toMatchObject({
      attempts: MAIL_MAX_ATTEMPTS,
      lastError: 'refused for <address>',
      sentAt: null,
    });
  });
});
