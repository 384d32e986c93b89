import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmWithCode, offerEnrolment, totpCode } from '@parley/db';
import { FIXTURE } from '@parley/db/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectAgent,
  inProcessClient,
  ORIGIN,
  startTestServer,
  type TestServer,
  TestSocket,
} from '../testing/test-app.ts';
import { startAdminConsole } from './admin-console.ts';

const ACME = FIXTURE.accounts.acme;
const OLIVIA = FIXTURE.agents.acmeOwner;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The chat server with its admin console on the same bus, as `bootstrap` runs them. */
async function serverWithConsole() {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const mailDirectory = mkdtempSync(join(tmpdir(), 'parley-suspension-'));
  cleanups.push(() => rmSync(mailDirectory, { recursive: true, force: true }));
  const { services } = server.parley;
  const admin = await startAdminConsole({
    db: server.db,
    policy: services.policy,
    secrets: services.secrets,
    host: '127.0.0.1',
    port: 0,
    publicUrl: server.running.url,
    mailDirectory,
    publicDirectory: null,
    onAccountClosed: async () => {},
    bus: services.bus,
  });
  cleanups.push(() => admin.close());
  const origin = new URL(admin.url).origin;
  const call = async (path: string, input: unknown, staff?: { cookie: string; csrf: string }) => {
    const response = await fetch(`${admin.url}/trpc/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin,
        ...(staff ? { cookie: staff.cookie, 'x-parley-csrf': staff.csrf } : {}),
      },
      body: JSON.stringify(input),
    });
    return { response, json: (await response.json()) as { result?: { data: Record<string, unknown> } } };
  };
  // SEC-1: staff sign in with a second factor: enrolled in the store here, used with one of its recovery codes.
  const operator = FIXTURE.staff.operator;
  const owner = { kind: 'staff' as const, id: operator.id };
  const keys = services.secrets.secondFactorKeys;
  const offer = await offerEnrolment(server.db, {
    owner,
    keys,
    issuer: 'test',
    label: operator.email,
    now: Date.now(),
  });
  const confirmed = await confirmWithCode(server.db, {
    owner,
    keys,
    code: totpCode(offer!.secret, Date.now()),
    now: Date.now(),
  });
  if (confirmed.outcome !== 'confirmed') throw new Error(`enrolling the operator: ${confirmed.outcome}`);
  const password = await call('auth.signIn', {
    email: operator.email,
    password: 'correct horse battery staple',
  });
  const signedIn = await call('auth.signInWithCode', {
    challenge: password.json.result?.data.challenge,
    code: confirmed.recoveryCodes[0],
  });
  const staff = {
    cookie: (signedIn.response.headers.get('set-cookie') ?? '').split(';')[0]!,
    csrf: String(signedIn.json.result?.data.csrfToken),
  };
  return { server, staffCall: (path: string, input: unknown) => call(path, input, staff) };
}

async function visitor(server: TestServer) {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
  cleanups.push(() => socket.close());
  socket.send({ type: 'hello', persistent: true });
  const welcome = await socket.next<{ agentsOnline: boolean }>('welcome');
  return { socket, welcome };
}

const signInStatus = async (server: TestServer) =>
  inProcessClient(server).request('/app/api/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email: OLIVIA.email, password: 'correct horse battery staple' }),
  });

describe('suspending an account from the console', () => {
  it('closes the agents’ and the widgets’ sockets, offers only the offline form, and refuses sign-in until reinstated', async () => {
    const { server, staffCall } = await serverWithConsole();
    const { socket: dashboard } = await connectAgent(server, OLIVIA.email);
    cleanups.push(() => dashboard.close());
    const before = await visitor(server);
    expect(before.welcome.agentsOnline).toBe(true);

    const suspended = await staffCall('accounts.suspend', { accountId: ACME.id, reason: 'Unpaid since May' });
    expect(suspended.response.status).toBe(200);
    expect((await dashboard.closed).code).toBe(CLOSE_CODES.accountSuspended);
    // The widget is told to come back, and on coming back it is welcomed with nobody to chat with.
    expect((await before.socket.closed).code).toBe(CLOSE_CODES.goingAway);
    const during = await visitor(server);
    expect(during.welcome.agentsOnline).toBe(false);
    during.socket.send({ type: 'send', key: 'k-suspended-1', text: 'Hello?' });
    expect(await during.socket.next('error')).toMatchObject({ code: 'forbidden', key: 'k-suspended-1' });

    const refused = await signInStatus(server);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('account_suspended');

    expect((await staffCall('accounts.reinstate', { accountId: ACME.id })).response.status).toBe(200);
    expect((await signInStatus(server)).status).toBe(200);
    const { socket: back } = await connectAgent(server, OLIVIA.email);
    cleanups.push(() => back.close());
    expect((await visitor(server)).welcome.agentsOnline).toBe(true);
  });
});
