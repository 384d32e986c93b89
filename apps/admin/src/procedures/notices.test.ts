import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParleyDb } from '@parley/db';
import { insertRows, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const mergerMail = (h: { db: ParleyDb }) => readRows(h.db, 'noticeOutbox', { kind: 'merger' });

describe('merger notice', () => {
  it.each(['2026-10-01', '2026-11-01'])(
    'SHR-2: refuses a transfer date that is not in the future (%s)',
    async (date) => {
      const h = await adminHarness();
      const session = await h.signIn();
      const r = await h.mutate('notices.merger', { acquirer: 'Initrode AG', transferDate: date }, session);
      expect(r.status).toBe(400);
      expect(r.error?.message).toBe(
        'The transfer date must be in the future: people are told before their data moves.',
      );
      expect(await mergerMail(h)).toEqual([]);
    },
  );

  it('SHR-2: tells every open account who takes over and when, before it happens', async () => {
    const h = await adminHarness({ policyUrl: 'https://chat.example.org/privacy' });
    const session = await h.signIn();
    const r = await h.mutate<{ queued: number }>(
      'notices.merger',
      { acquirer: 'Initrode AG', transferDate: '2027-02-01' },
      session,
    );
    expect(r.data.queued).toBe(3);
    const mail = await mergerMail(h);
    expect(mail).toHaveLength(3);
    expect(mail[0]!.body).toContain('Initrode AG on 2027-02-01');
    const audit = await h.query<{ entries: Array<{ action: string; actorId: string }> }>(
      'audit.list',
      { action: 'notice.merger' },
      session,
    );
    expect(audit.data.entries).toHaveLength(1);
  });

  it('validates the date and the name', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    expect(
      (await h.mutate('notices.merger', { acquirer: 'X AG', transferDate: '01/02/2027' }, session)).status,
    ).toBe(400);
    expect(
      (await h.mutate('notices.merger', { acquirer: 'X\nBcc: y', transferDate: '2027-02-01' }, session))
        .status,
    ).toBe(400);
  });
});

describe('outbox', () => {
  it('counts mail by state and lists the latest without bodies or addresses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-mail-'));
    await writeFile(join(dir, 'out_1.eml'), 'x');
    const h = await adminHarness({ mailDirectory: dir });
    await insertRows(h.db, 'noticeOutbox', [
      {
        id: 'out_failed',
        kind: 'invitation',
        toEmail: 'zed@example.org',
        subject: 'Join Acme',
        body: 'secret body',
        headers: {},
        createdAt: 1,
        attempts: 10,
        lastError: '550 zed@example.org: no such user',
      },
      {
        id: 'out_sent',
        kind: 'marketing',
        toEmail: 'olivia@acme.test',
        subject: 'News',
        body: 'body',
        headers: {},
        createdAt: 2,
        sentAt: 3,
        attempts: 1,
      },
    ]);
    const session = await h.signIn();
    const r = await h.query<{
      counts: Record<string, number>;
      latest: Array<Record<string, unknown>>;
      mailDirectory: string;
      mailFiles: number;
    }>('notices.outbox', undefined, session);
    expect(r.data.counts).toEqual({ pending: 1, sent: 1, failed: 1 });
    expect(r.data.mailDirectory).toBe(dir);
    expect(r.data.mailFiles).toBe(1);
    const failed = r.data.latest.find((row) => row.id === 'out_failed');
    expect(failed).toMatchObject({ state: 'failed', lastError: '550 [address]: no such user' });
    const text = JSON.stringify(r.data.latest);
    expect(text).not.toMatch(/body/i);
    expect(text).not.toContain('@');
  });
});
