import { describe, expect, it } from 'vitest';
import { diffPolicies } from './diff.ts';
import { addDuration } from './duration.ts';
import { parleyPolicy } from './history.ts';
import {
  contentInForce,
  DEFAULT_NOTICE_PERIOD,
  inForceAt,
  policyForInstallation,
  upcomingVersions,
  versionInForce,
  withInForceDates,
} from './installation.ts';
import { policyToText } from './render-html.ts';
import { renderPolicy, versionHistory } from './render-policy.ts';
import type { CookieDeclaration, PolicyModel } from './schema.ts';
import type { StoreEngine } from './store-engine.ts';

const DAY = 86_400_000;
const FIRST_RUN = Date.parse('2026-12-01T08:00:00Z');
const UPGRADE = Date.parse('2027-01-10T08:00:00Z');

/** Parley's model plus a 1.5.0 that declares a new cookie: a significant change. */
function withNewCookie(): PolicyModel {
  const model = structuredClone(parleyPolicy);
  const content = structuredClone(model.versions.at(-1)!.content);
  const chatId = content.cookies.find((c) => c.name === 'parley_chat_id')!;
  const added: CookieDeclaration = {
    ...chatId,
    name: 'parley_theme',
    purpose: 'Remembers the chat colours.',
  };
  content.cookies.push(added);
  model.versions.push({ version: '1.5.0', date: '2027-01-05', summary: 'A theme cookie.', content });
  return model;
}

/** The dates an installation would record: 1.0.0 to 1.4.0 on its first start, 1.5.0 with a notice on upgrade. */
function datedAsRunHere(model: PolicyModel): PolicyModel {
  const dates = new Map<string, number>();
  let previous: { content: PolicyModel['versions'][number]['content']; inForceAt: number } | undefined;
  for (const v of model.versions) {
    const upgrade = v.version === '1.5.0';
    const at = inForceAt(
      {
        version: v.version,
        firstRunAt: upgrade ? UPGRADE : FIRST_RUN,
        noticeQueuedAt: upgrade ? UPGRADE : null,
      },
      v.content,
      previous,
    );
    dates.set(v.version, at);
    previous = { content: v.content, inForceAt: at };
  }
  return withInForceDates(model, dates);
}

describe('CHG-1: when a version comes into force at an installation', () => {
  it('CHG-1: a significant change applies the notice period after its notice was queued, not when the server starts', () => {
    const at = inForceAt(
      { version: '1.4.0', firstRunAt: UPGRADE, noticeQueuedAt: UPGRADE },
      withNewCookie().versions.at(-1)!.content,
    );
    expect(at).toBe(addDuration(new Date(UPGRADE), DEFAULT_NOTICE_PERIOD).getTime());
    expect(at - UPGRADE).toBe(30 * DAY);
  });

  it('CHG-1: a version that needed no notice applies when first run, but never before the version it follows', () => {
    expect(
      inForceAt(
        { version: '1.3.1', firstRunAt: UPGRADE, noticeQueuedAt: null },
        parleyPolicy.versions[2]!.content,
      ),
    ).toBe(UPGRADE);
    const pending = { content: parleyPolicy.versions[2]!.content, inForceAt: UPGRADE + 20 * DAY };
    expect(
      inForceAt(
        { version: '1.3.1', firstRunAt: UPGRADE + DAY, noticeQueuedAt: null },
        pending.content,
        pending,
      ),
    ).toBe(UPGRADE + 20 * DAY);
  });

  it('CHG-1: the notice period the policy states replaces the 30 days', () => {
    const content = { ...parleyPolicy.versions[2]!.content, noticePeriod: 'P45D' };
    const at = inForceAt({ version: '1.4.0', firstRunAt: UPGRADE, noticeQueuedAt: UPGRADE }, content);
    expect(at - UPGRADE).toBe(45 * DAY);
  });

  it('CHG-1: contentInForce chooses by the date, so a cookie the new version declares stays off until then', () => {
    const model = datedAsRunHere(withNewCookie());
    const names = (now: number) => contentInForce(model, now).cookies.map((c) => c.name);
    expect(versionInForce(model, UPGRADE).version).toBe('1.4.0');
    expect(names(UPGRADE + 29 * DAY)).not.toContain('parley_theme');
    expect(upcomingVersions(model, UPGRADE).map((v) => v.version)).toEqual(['1.5.0']);
    expect(versionInForce(model, UPGRADE + 30 * DAY).version).toBe('1.5.0');
    expect(names(UPGRADE + 30 * DAY)).toContain('parley_theme');
    expect(upcomingVersions(model, UPGRADE + 30 * DAY)).toEqual([]);
  });

  it('CHG-1: the policy shows the version in force and, until it applies, the announced one with its date', () => {
    const model = datedAsRunHere(withNewCookie());
    const before = renderPolicy(model, UPGRADE + DAY);
    expect(before.version).toBe('1.4.0');
    expect(before.upcoming).toEqual([
      expect.objectContaining({ version: '1.5.0', inForceFrom: '2027-02-09T08:00:00.000Z' }),
    ]);
    expect(before.upcoming[0]!.changes.join('\n')).toMatch(/A new cookie, parley_theme/);
    expect(policyToText(before)).toContain('Version 1.5.0 is announced and applies from 2027-02-09');
    expect(versionHistory(model, UPGRADE + DAY).map((v) => v.status)).toEqual([
      'superseded',
      'superseded',
      'superseded',
      'superseded',
      'in_force',
      'upcoming',
    ]);
    const after = renderPolicy(model, UPGRADE + 31 * DAY);
    expect(after.version).toBe('1.5.0');
    expect(after.upcoming).toEqual([]);
    expect(policyToText(after)).not.toContain('is announced and applies');
  });

  it('refuses a history whose versions would come into force out of order', () => {
    const model = withInForceDates(
      parleyPolicy,
      new Map([
        ['1.1.0', UPGRADE],
        ['1.2.0', FIRST_RUN],
      ]),
    );
    expect(() => policyForInstallation({}, model)).toThrow(/1\.2\.0 would come into force before 1\.1\.0/);
  });
});

describe("an installation's configuration", () => {
  it('declares no card payments and no payment processor on an installation that takes no payments', () => {
    const content = contentInForce(policyForInstallation({ payments: false }));
    expect(content.processors.map((p) => p.id)).not.toContain('payments');
    expect(content.activities.map((a) => a.id)).not.toContain('take_payments');
    expect(contentInForce(policyForInstallation()).processors.map((p) => p.id)).toContain('payments');
  });

  it('SHR-1: declares the mail relay as a processor only when mail goes out through one', () => {
    const relay = contentInForce(policyForInstallation({ smtpRelay: true }));
    const files = contentInForce(policyForInstallation({ smtpRelay: false }));
    expect(relay.processors.map((p) => p.id)).toContain('email-delivery');
    expect(files.processors.map((p) => p.id)).not.toContain('email-delivery');
    for (const activity of files.activities) expect(activity.processors).not.toContain('email-delivery');
    expect(files.activities.map((a) => a.id)).toContain('send_service_email');
  });

  it('CK-7: declares the admin session cookie only when the admin console runs', () => {
    const names = (adminConsole: boolean) =>
      contentInForce(policyForInstallation({ adminConsole })).cookies.map((c) => c.name);
    expect(names(true)).toContain('parley_admin_session');
    expect(names(false)).not.toContain('parley_admin_session');
  });
});

describe("RET-4: what an erasure leaves on disk, as the store's engine has it", () => {
  const text = (settings: { storeEngine?: StoreEngine }) =>
    policyToText(renderPolicy(policyForInstallation(settings)));

  it('RET-4: on SQLite, the default, nothing of an erased visitor can be read back from the disk', () => {
    const sqlite = text({ storeEngine: 'sqlite' });
    expect(text({})).toBe(sqlite);
    expect(sqlite).toContain('Erasure is complete: nothing of you remains in any table, index or log.');
    expect(sqlite).toContain('overwrites the freed space on disk');
    expect(sqlite).not.toContain('PostgreSQL');
  });

  it('RET-4: on PostgreSQL, the policy says which copies linger, where and for how long', () => {
    const postgres = text({ storeEngine: 'postgres' });
    expect(postgres).not.toContain('nothing of you remains in any table, index or log.');
    expect(postgres).not.toContain('overwrites the freed space on disk');
    for (const lingering of [
      "the tables' pages",
      'in the full-text search index, which keeps the words of erased messages and notes',
      "until Parley's retention sweep next runs (every six hours) and rebuilds it",
      'write-ahead log',
      'every 5 minutes, or sooner when the log nears 1 GB',
      '80 MB to 1 GB by default',
      'Replicas of the database',
      'backups and log archives keep theirs for as long as the operator keeps them',
      'overwritten as new data is written, not at once',
    ])
      expect(postgres).toContain(lingering);
  });

  it('RET-4: every version says it for the engine, so the engine never shows as a change between versions', () => {
    const model = policyForInstallation({ storeEngine: 'postgres' });
    const statements = model.versions.map(
      (v) => v.content.promises.find((p) => p.id === 'RET-4')?.statement ?? '',
    );
    for (const statement of statements) expect(statement).toContain('PostgreSQL');
    for (const [i, v] of model.versions.entries()) {
      const before = statements[i - 1];
      if (before === undefined) continue;
      const changes = diffPolicies(model.versions[i - 1]!.content, v.content).map((c) => c.description);
      if (statements[i] === before)
        expect(changes.join('\n'), v.version).not.toMatch(/RET-4|erasure|erased/i);
      // 1.4.0 added the record of erasures a restored backup replays, after the engine's text, which stays as it was.
      else
        expect([v.version, statements[i]!.startsWith(`${before} What stays is a record`)]).toEqual([
          '1.4.0',
          true,
        ]);
    }
  });
});
