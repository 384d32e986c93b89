import { loadConfig } from '@parley/config';
import { listHandoffs, type ParleyDb, publishPolicyVersions } from '@parley/db';
import { createTestDatabase, readRows } from '@parley/db/testing';
import { contentInForce, type PolicyContent, policyForInstallation, upcomingVersions } from '@parley/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { ephemeralSecrets } from '../auth/secrets.ts';
import { silentLogger } from '../logger.ts';
import type { MailTransport } from '../mail/mailer.ts';
import { recordedTransport } from '../mail/processor-transport.ts';
import { locateAssets } from '../paths.ts';
import { type RunningServer, startServer } from '../server.ts';
import { installationPolicy, installationSettings } from './installation-policy.ts';

const { assets } = locateAssets();
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.shutdown();
});

/** The server as `main.ts` builds it from an environment, on port 0, serving the one site build there is. */
async function startWith(variables: Record<string, string>): Promise<{ url: string; db: ParleyDb }> {
  if (!assets.site) throw new Error('The public site is not built: pnpm --filter @parley/site build');
  const db = await createTestDatabase();
  const env = loadConfig(variables);
  const parley = createApp({
    db,
    secrets: ephemeralSecrets(),
    policy: await installationPolicy(db, env),
    assets,
    log: silentLogger,
  });
  const server = await startServer(parley, { host: '127.0.0.1', port: 0 });
  running.push(server);
  return { url: server.url, db };
}

const ACME = {
  PARLEY_OPERATOR_NAME: 'Acme Chat GmbH',
  PARLEY_PRIVACY_CONTACT: 'datenschutz@acme.test',
  PARLEY_REGION: 'DE',
  SMTP_URL: 'smtp://relay.acme.test:587',
};
const GLOBEX = {
  PARLEY_OPERATOR_NAME: 'Globex Support Ltd',
  PARLEY_PRIVACY_CONTACT: 'privacy@globex.test',
  PARLEY_REGION: 'CA',
  ADMIN_PORT: 'off',
};

describe('the policy an installation publishes follows the configuration it runs with', () => {
  it('serves pages and /policy.json for its own operator, region and processors, from the same build as any other', async () => {
    const acme = await startWith(ACME);
    const globex = await startWith(GLOBEX);
    const get = async (base: string, path: string) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      return response.text();
    };

    const acmePrivacy = await get(acme.url, '/privacy');
    const globexPrivacy = await get(globex.url, '/privacy');
    expect(acmePrivacy).toContain('Acme Chat GmbH');
    expect(acmePrivacy).toContain('datenschutz@acme.test');
    expect(acmePrivacy).not.toContain('Globex');
    expect(globexPrivacy).toContain('Globex Support Ltd');
    expect(globexPrivacy).not.toContain('Acme Chat GmbH');
    // The mail relay is a processor only where mail goes out through one; nobody takes card payments.
    expect(acmePrivacy).toContain('Outbound email relay (SMTP)');
    expect(globexPrivacy).not.toContain('Outbound email relay (SMTP)');
    for (const page of [acmePrivacy, globexPrivacy]) {
      expect(page).not.toContain('Card payment processor');
      expect(page).not.toContain('Take subscription payments');
    }
    expect(await get(acme.url, '/regions')).toMatch(/stores its data in <strong>Germany<\/strong>/);
    expect(await get(globex.url, '/regions')).toMatch(/stores its data in <strong>Canada<\/strong>/);
    expect(await get(acme.url, '/cookies')).toContain('parley_admin_session');
    expect(await get(globex.url, '/cookies')).not.toContain('parley_admin_session');

    const inForce = async (base: string): Promise<PolicyContent> =>
      contentInForce(JSON.parse(await get(base, '/policy.json')));
    const acmePolicy = await inForce(acme.url);
    const globexPolicy = await inForce(globex.url);
    expect(acmePolicy.controller).toEqual({ name: 'Acme Chat GmbH', contact: 'datenschutz@acme.test' });
    expect(globexPolicy.controller).toEqual({ name: 'Globex Support Ltd', contact: 'privacy@globex.test' });
    expect(acmePolicy.regions.installation).toBe('DE');
    expect(globexPolicy.regions.installation).toBe('CA');
    expect(acmePolicy.processors.map((p) => p.id)).toEqual(['email-delivery']);
    expect(globexPolicy.processors).toEqual([]);
  });

  it('CHG-1: serves the version in force, and announces a significant version an upgrade brings until its notice period ends', async () => {
    const db = await createTestDatabase();
    const env = loadConfig(ACME);
    const DAY = 86_400_000;
    // Ninety days ago this installation ran a release that knew 1.0.0 and 1.1.0; today's release brings 1.2.0,
    // 1.3.0 and 1.4.0, all significant, so all are announced with the same notice period.
    const full = policyForInstallation(installationSettings(env));
    await publishPolicyVersions(db, { versions: full.versions.slice(0, 2) }, { now: Date.now() - 90 * DAY });
    const policy = await installationPolicy(db, env);
    expect(upcomingVersions(policy).map((v) => v.version)).toEqual(['1.2.0', '1.3.0', '1.4.0']);
    const applies = Date.parse(policy.versions.find((v) => v.version === '1.2.0')!.inForceFrom!);
    expect(applies).toBeGreaterThanOrEqual(Date.now() + 29 * DAY);

    const parley = createApp({ db, secrets: ephemeralSecrets(), policy, assets, log: silentLogger });
    expect(parley.services.policyVersion.version).toBe('1.1.0');
    expect(parley.services.cookies.map((c) => c.name)).not.toContain('parley_remember_email');
    const page = await (await parley.app.request('/privacy')).text();
    expect(page).toContain('Version 1.1.0');
    expect(page).toContain('Version 1.2.0 applies from');
    expect(page).toContain(`<time datetime="${new Date(applies).toISOString()}">`);
    const notices = await readRows(db, 'noticeOutbox', { kind: 'policy_change' });
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices)
      expect(notice.subject).toContain(`changes on ${new Date(applies).toISOString().slice(0, 10)}`);
  });
});

describe("RET-4: the policy states what erasure leaves behind on the engine the installation's store runs on", () => {
  const ret4 = (content: PolicyContent) => content.promises.find((p) => p.id === 'RET-4')?.statement ?? '';

  it('RET-4: an installation promises about erasure what its own engine keeps', async () => {
    const db = await createTestDatabase();
    const statement = ret4(contentInForce(await installationPolicy(db, loadConfig({}))));
    if (db.dialect === 'sqlite') {
      expect(statement).toContain('nothing of you remains in any table, index or log.');
      expect(statement).not.toContain('PostgreSQL');
    } else {
      // PostgreSQL overwrites nothing on delete: the statement says where old copies stay and for how long.
      expect(statement).toContain('This installation keeps its data in PostgreSQL');
      expect(statement).toContain('write-ahead log');
      expect(statement).not.toContain('nothing of you remains in any table, index or log.');
    }
  });
});

/**
 * SHR-1: each processor a policy can declare, and the code that hands it data. A processor declared with no way to
 * reach it would be a promise about nothing; one reached but not declared cannot be handed anything (`handOffToProcessor`).
 */
const HAND_OFFS: Record<string, (db: ParleyDb, content: PolicyContent) => Promise<void>> = {
  'email-delivery': async (db, content) => {
    const relay: MailTransport = {
      kind: 'smtp',
      send: async () => {},
      discard: async () => {},
      close: () => {},
    };
    await recordedTransport(db, () => content, relay).send(
      {
        id: 'out_test',
        kind: 'transcript',
        to: 'visitor@example.test',
        subject: 'Your chat',
        body: 'Hello',
        headers: {},
        attempts: 0,
      },
      'Parley <no-reply@example.test>',
    );
  },
};

describe('SHR-1: every processor an installation declares is reachable in code', () => {
  const configurations = [
    {},
    { SMTP_URL: 'smtp://relay.example.test' },
    { ADMIN_PORT: 'off' },
    { SMTP_URL: 'smtps://relay.example.test', ADMIN_PORT: 'off', PARLEY_REGION: 'SG' },
  ];
  it.each(configurations)(
    'SHR-1: with %o, each declared processor is handed data by some code path',
    async (variables) => {
      const db = await createTestDatabase();
      const content = contentInForce(await installationPolicy(db, loadConfig(variables)));
      for (const processor of content.processors) {
        const handOff = HAND_OFFS[processor.id];
        expect(
          handOff,
          `processor "${processor.id}" is declared, but no code hands data to it`,
        ).toBeDefined();
        await handOff!(db, content);
        expect((await listHandoffs(db)).map((h) => h.processor_id)).toContain(processor.id);
      }
    },
  );

  it('SHR-1: a relay is declared exactly when one is configured', () => {
    expect(installationSettings(loadConfig({ SMTP_URL: 'smtp://relay.example.test' })).smtpRelay).toBe(true);
    expect(installationSettings(loadConfig({})).smtpRelay).toBe(false);
  });
});
