import { serve } from '@hono/node-server';
import { createAdminApp } from '@parley/admin';
import { createStaffMember, hashPassword, hasStaff, newSecret, type ParleyDb } from '@parley/db';
import type { SignInThrottle } from '@parley/live';
import type { PolicyModel } from '@parley/policy';
import type { Secrets } from '../auth/secrets.ts';
import type { ServerBus } from '../delivery/bus.ts';
import { unsubscribeUrl } from '../marketing/unsubscribe.ts';
import { type ChatMetrics, processMetrics, scrape } from '../metrics/metrics.ts';
import { closeSuspendedAccountSockets } from './account-sockets.ts';

const FIRST_STAFF_EMAIL = 'operator@parley.localhost';

/** The first operator's sign-in, created on the first start and printed once. */
export async function ensureFirstStaff(db: ParleyDb): Promise<{ email: string; password: string } | null> {
  if (await hasStaff(db)) return null;
  const password = newSecret().slice(0, 24);
  await createStaffMember(db, {
    email: FIRST_STAFF_EMAIL,
    name: 'Operator',
    passwordHash: await hashPassword(password),
  });
  return { email: FIRST_STAFF_EMAIL, password };
}

/**
 * The internal admin console runs in the same process, on its own listener, bound to loopback by default: staff
 * reach it on the machine or through a tunnel, never on the public port.
 */
export async function startAdminConsole(options: {
  db: ParleyDb;
  policy: PolicyModel;
  secrets: Secrets;
  host: string;
  port: number;
  publicUrl: string;
  mailDirectory: string;
  publicDirectory: string | null;
  /** SEC-1: counts the console's sign-in attempts; the chat server's own, shared by every node on Redis. */
  signInThrottle?: SignInThrottle;
  /** Closes the sockets of an account staff closed (the demo account), on every node. */
  onAccountClosed: (accountId: string) => Promise<void>;
  /** The chat server's bus, on which a suspension closes the account's sockets on every node. */
  bus: ServerBus;
  /** The chat server's metrics, served to Prometheus at /metrics on this listener only. */
  metrics?: ChatMetrics;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createAdminApp({
    db: options.db,
    policy: options.policy,
    keyring: options.secrets.keyring,
    secondFactorKeys: options.secrets.secondFactorKeys,
    unsubscribeUrl: (accountId) =>
      unsubscribeUrl(options.publicUrl, options.secrets.unsubscribeKey, accountId),
    policyUrl: `${options.publicUrl}/privacy`,
    dashboardUrl: `${options.publicUrl}/app/`,
    closeAccountSockets: (accountId) => closeSuspendedAccountSockets(options.bus, accountId),
    mailDirectory: options.mailDirectory,
    onAccountClosed: options.onAccountClosed,
    ...(options.publicDirectory ? { publicDirectory: options.publicDirectory } : {}),
    ...(options.signInThrottle ? { signInThrottle: options.signInThrottle } : {}),
  });
  return new Promise((resolve, reject) => {
    const { metrics } = options;
    if (metrics) processMetrics();
    // Metrics name no person, but they tell how busy an installation is: they stay on this internal listener, as
    // Prometheus expects them, at /metrics.
    // Everything else goes to the console with the bindings (the client's address) the listener hands over.
    const fetch: typeof app.fetch = (request, ...rest) =>
      metrics && request.method === 'GET' && new URL(request.url).pathname === '/metrics'
        ? metricsResponse(metrics)
        : app.fetch(request, ...rest);
    const server = serve({ fetch, hostname: options.host, port: options.port }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}/admin`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}

async function metricsResponse(metrics: ChatMetrics): Promise<Response> {
  const { body, contentType } = await scrape(metrics);
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
