import { defaultMigrationFolders, type ParleyDb } from '@parley/db';
import type { AgentRole } from '@parley/db/chat';
import { createTestDatabase, FIXTURE, FIXTURE_PASSWORD, insertRows, readRow } from '@parley/db/testing';
import type { Clock, MailLinkThrottle, SignInThrottle, WindowCounter } from '@parley/live';
import { type PolicyModel, policyForInstallation, withInForceDates } from '@parley/policy';
import { WebSocket } from 'ws';
import { type AppDeps, createApp, type ParleyApp } from '../app.ts';
import { ephemeralSecrets, type Secrets } from '../auth/secrets.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { Assets } from '../paths.ts';
import { type RunningServer, startServer } from '../server.ts';
import type { ServerConfig } from '../services.ts';

// Test helpers: the app over the shared fixture database, sign-in as a fixture agent, and real sockets.

export const ORIGIN = 'http://localhost';

const NO_ASSETS: Assets = {
  widget: null,
  dashboard: null,
  site: null,
  admin: null,
  migrations: defaultMigrationFolders,
};

export interface TestApp {
  db: ParleyDb;
  parley: ParleyApp;
  request(path: string, init?: RequestInit): Promise<Response>;
}

export interface TestAppOptions {
  config?: Partial<ServerConfig>;
  assets?: Partial<Assets>;
  db?: ParleyDb;
  /** Installation secrets; a second app on the same database (a restart) passes the first one's. */
  secrets?: Secrets;
  clock?: Clock;
  throttle?: SignInThrottle;
  mailLinks?: MailLinkThrottle;
  windows?: WindowCounter;
  /** The live state `/readyz` asks; one process's memory by default. */
  live?: AppDeps['live'];
  /** Where the server reports what it does; nowhere by default. */
  log?: Logger;
  /** The installation's policy; Parley's own by default. */
  policy?: PolicyModel;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const parley = createApp({
    db,
    secrets: options.secrets ?? ephemeralSecrets(),
    ...(options.clock ? { clock: options.clock } : {}),
    log: options.log ?? silentLogger,
    assets: { ...NO_ASSETS, ...options.assets },
    ...(options.config ? { config: options.config } : {}),
    ...(options.throttle ? { throttle: options.throttle } : {}),
    ...(options.mailLinks ? { mailLinks: options.mailLinks } : {}),
    ...(options.live ? { live: options.live } : {}),
    ...(options.windows ? { windows: options.windows } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  return { db, parley, request: (path, init) => Promise.resolve(parley.app.request(path, init)) };
}

/**
 * CHG-1: Parley's policy at an installation that has run every version before `version` for sixty days and puts
 * `version` and those after it in force at `applies` (1.2.0 brought the remember-my-email cookie and the
 * instant-messaging handle).
 */
export function policyAnnouncing(version: string, applies: number): PolicyModel {
  const policy = policyForInstallation();
  const longAgo = Date.now() - 60 * 86_400_000;
  const first = policy.versions.findIndex((v) => v.version === version);
  if (first === -1) throw new Error(`the policy has no version ${version}`);
  return withInForceDates(
    policy,
    new Map(policy.versions.map((v, i) => [v.version, i < first ? longAgo : applies])),
  );
}

/** `name=value` pairs of the cookies a response sets (attributes dropped). */
export function cookiesFrom(response: Response): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    jar[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return jar;
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  response: Response;
}

export async function signIn(
  app: Pick<TestApp, 'request'>,
  email: string,
  options: { password?: string; rememberEmail?: boolean; origin?: string } = {},
): Promise<SignedIn> {
  const response = await app.request('/app/api/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: options.origin ?? ORIGIN },
    body: JSON.stringify({
      email,
      password: options.password ?? FIXTURE_PASSWORD,
      rememberEmail: options.rememberEmail ?? false,
    }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const body = (await response.clone().json()) as { csrfToken: string };
  const session = cookiesFrom(response).parley_session;
  return { cookie: `parley_session=${session}`, csrfToken: body.csrfToken, response };
}

/** Headers for a signed-in, same-origin, state-changing request. */
export const writeHeaders = (
  session: SignedIn,
  extra: Record<string, string> = {},
): Record<string, string> => ({
  'content-type': 'application/json',
  origin: ORIGIN,
  cookie: session.cookie,
  'x-parley-csrf': session.csrfToken,
  ...extra,
});

/** Signs `email` in and sends one dashboard API request as them, with `body` as JSON. */
export async function sendAs(app: TestApp, email: string, method: string, path: string, body?: unknown) {
  const session = await signIn(app, email);
  return app.request(`/app/api${path}`, {
    method,
    headers: writeHeaders(session),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export interface TestServer extends TestApp {
  running: RunningServer;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startTestServer(options: TestAppOptions = {}): Promise<TestServer> {
  const app = await createTestApp(options);
  const running = await startServer(app.parley, { host: '127.0.0.1', port: 0 });
  return {
    ...app,
    running,
    wsUrl: running.url.replace(/^http/, 'ws'),
    request: (path, init) => fetch(`${running.url}${path}`, init),
    close: () => running.shutdown(),
  };
}

/** A `ws` client that collects frames and lets a test wait for the next one of a type. */
export class TestSocket {
  readonly frames: Array<Record<string, unknown> & { type: string }> = [];
  readonly #waiters: Array<{ match: (f: Record<string, unknown>) => boolean; resolve: (f: never) => void }> =
    [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown> & { type: string };
      this.frames.push(frame);
      // A frame is consumed once: by the first waiter that matches it, in the order they started waiting.
      const waiter = this.#waiters.find((w) => w.match(frame));
      if (waiter) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(frame as never);
      }
    });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  /** Sends now, or once the socket has opened. */
  send(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.once('open', () => this.ws.send(text));
    else this.ws.send(text);
  }

  /** The first frame (already received or still to come) of the type, or of one of the types, that matches. */
  next<T = Record<string, unknown> & { type: string }>(
    type: string | readonly string[],
    where: (frame: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<T> {
    const types: readonly string[] = typeof type === 'string' ? [type] : type;
    const match = (frame: Record<string, unknown>) => types.includes(frame.type as string) && where(frame);
    const seen = this.frames.find(match);
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen as T);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        match: (frame: Record<string, unknown>) => {
          if (!match(frame)) return false;
          this.frames.splice(this.frames.indexOf(frame as never), 1);
          return true;
        },
        resolve: resolve as (f: never) => void,
      };
      this.#waiters.push(waiter);
      setTimeout(
        () => reject(new Error(`no ${types.join(' or ')} frame within ${timeoutMs} ms`)),
        timeoutMs,
      ).unref();
    });
  }

  /** Resolves if no frame of this type arrives within `ms`. */
  async none(type: string, ms = 300): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const found = this.frames.find((frame) => frame.type === type);
    if (found) throw new Error(`unexpected ${type} frame: ${JSON.stringify(found)}`);
  }

  close(): void {
    this.ws.close();
  }
}

export { FIXTURE_PASSWORD };

/** Adds a member to a fixture account, with the fixture password, e.g. an admin beside the owner and Adam. */
export async function addAgent(
  db: ParleyDb,
  agent: { id: string; email: string; name: string; role: AgentRole; accountId?: string },
): Promise<void> {
  const like = await readRow(db, 'agents', { id: FIXTURE.agents.acmeAgent.id });
  await insertRows(db, 'agents', [
    {
      accountId: FIXTURE.accounts.acme.id,
      ...agent,
      passwordHash: like.passwordHash,
      online: false,
      createdAt: like.createdAt,
    },
  ]);
}

/** Requests to a running test server's app, without going through its socket. */
export const inProcessClient = (server: TestServer) => ({
  request: (path: string, init?: RequestInit) => Promise.resolve(server.parley.app.request(path, init)),
});

/** An agent signed in over HTTP with a live agent socket that has received its snapshot. */
export async function connectAgent(
  server: TestServer,
  email: string,
): Promise<{ socket: TestSocket; session: SignedIn }> {
  const session = await signIn(inProcessClient(server), email);
  const socket = new TestSocket(`${server.wsUrl}/ws/agent`, {
    origin: server.running.url,
    cookie: session.cookie,
  });
  await socket.next('snapshot');
  return { socket, session };
}
