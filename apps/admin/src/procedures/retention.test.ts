import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderFileStore, sweepRetention } from '@parley/db';
import { countRows, createTestDatabase, FIXTURE_NOW } from '@parley/db/testing';
import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const DAY = 86_400_000;

interface RunResult {
  ranAt: number;
  total: number;
  byCategory: Array<{ key: string; name: string; count: number }>;
  byTable: Array<{ table: string; deleted: number; cleared: number }>;
  files: Array<{ store: string; count: number }>;
}

describe('retention', () => {
  it('RET-3: running the sweep now returns what it removed per category, and the run is listed', async () => {
    const h = await adminHarness();
    // Three weeks on, the fixture's access log (kept 14 days) has expired.
    h.clock.now = FIXTURE_NOW + 21 * DAY;
    const session = await h.signIn();
    const run = await h.mutate<RunResult>('retention.run', undefined, session);
    expect(run.status).toBe(200);
    expect(run.data.total).toBeGreaterThan(0);
    const ip = run.data.byCategory.find((c) => c.key === 'user.device.ip_address');
    expect(ip).toMatchObject({ name: 'Truncated IP address' });
    expect(ip!.count).toBeGreaterThanOrEqual(3);
    expect(run.data.byTable.find((t) => t.table === 'access_log')).toMatchObject({ deleted: 3 });
    expect(await countRows(h.db, 'accessLog')).toBe(0);

    const runs = await h.query<Array<{ at: number; total: number }>>('retention.runs', undefined, session);
    expect(runs.data[0]).toMatchObject({ at: h.clock.now, total: run.data.total });

    const audit = await h.query<{ entries: Array<{ action: string; actorName: string | null }> }>(
      'audit.list',
      { action: 'retention.run' },
      session,
    );
    expect(audit.data.entries[0]).toMatchObject({ action: 'retention.run', actorName: 'Oona Operator' });
  });

  it('RET-3: says how many mail files went with their rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-admin-mail-'));
    try {
      const mail = folderFileStore(dir, '.eml');
      const h = await adminHarness({ db: await createTestDatabase({ files: { mail } }) });
      // Mail whose row an erasure already took.
      await mail.write('out_erased_already', Buffer.from('Subject: gone'));
      const run = await h.mutate<RunResult>('retention.run', undefined, await h.signIn());
      expect(run.data.files).toEqual([{ store: 'mail', count: 1 }]);
      expect(await mail.ids()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('RET-3: a sweep with nothing expired removes nothing', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const run = await h.mutate<RunResult>('retention.run', undefined, session);
    expect(run.data.total).toBe(0);
    expect(run.data.byCategory).toEqual([]);
  });

  it('RET-3: asking for a sweep while one runs is refused, and the running one is not disturbed', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let paused!: () => void;
    const atPause = new Promise<void>((resolve) => {
      paused = resolve;
    });
    // The chat server's timer has started one, and it is between two batches.
    const running = sweepRetention(h.db, contentInForce(parleyPolicy), {
      now: FIXTURE_NOW + 21 * DAY,
      pause: async () => {
        paused();
        await held;
      },
    });
    await atPause;
    const refused = await h.mutate<RunResult>('retention.run', undefined, session);
    release();
    expect(refused.status).toBe(409);
    expect(refused.error?.data.appCode).toBe('invalid_state');
    expect((await running)?.byTable.access_log?.deleted).toBe(3);
  });

  it('RET-3: shows the periods the sweep enforces, from the policy', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const rules = await h.query<Array<{ category: string; subject: string; keptFor: string }>>(
      'retention.rules',
      undefined,
      session,
    );
    expect(
      rules.data.find((r) => r.category === 'user.device.ip_address' && r.subject === 'visitor'),
    ).toBeDefined();
  });
});
