import type { ServerType } from '@hono/node-server';
import { cookieDeclarations } from '@parley/cookies';
import { type ParleyDb, probeStore } from '@parley/db';
import {
  createMessageWriter,
  DEFAULT_FILE_QUOTA_BYTES,
  listAvailableSignedInAgents,
  type MessageWriter,
} from '@parley/db/chat';
import {
  type Clock,
  InMemoryMailLinkThrottle,
  InMemorySignInThrottle,
  InMemoryWindowCounter,
  InProcessBus,
  InProcessPresence,
  type LiveState,
  type MailLinkThrottle,
  type Presence,
  type PresenceOptions,
  SIGN_UP_LIMITS,
  type SignInThrottle,
  systemClock,
  type WindowCounter,
} from '@parley/live';
import {
  type CookieDeclaration,
  type PolicyModel,
  type PolicyVersion,
  policyForInstallation,
  versionInForce,
} from '@parley/policy';
import { CLOSE_CODES } from '@parley/protocol';
import { VISITOR_SOCKET_PATH } from '@parley/widget';
import { Hono } from 'hono';
import { AccessLogWriter, accessLog } from './access-log/access-log.ts';
import { customerApi } from './api/customer-api.ts';
import type { Secrets } from './auth/secrets.ts';
import { publishPresence } from './chat/notify.ts';
import { NEW_CONVERSATIONS_PER_MINUTE } from './chat/unwanted-visitors.ts';
import { dashboardApi } from './dashboard/dashboard-api.ts';
import type { ServerBus } from './delivery/bus.ts';
import { demoRoutes } from './demo/demo-page.ts';
import { AppError, errorHandler } from './errors.ts';
import { FileLinks } from './files/file-links.ts';
import { FILE_MAX_BYTES, fileRoutes } from './files/file-routes.ts';
import { describeError, type Logger, stdoutLogger } from './logger.ts';
import { unsubscribeRoutes } from './marketing/unsubscribe.ts';
import { countingBus, countingWriter, createChatMetrics } from './metrics/metrics.ts';
import { type Assets, locateAssets } from './paths.ts';
import { securityHeaders } from './security/security-headers.ts';
import type { AppEnv, ServerConfig, Services } from './services.ts';
import { setupRoutes } from './setup/setup-routes.ts';
import { agentSocket } from './sockets/agent-socket.ts';
import { SocketRegistry } from './sockets/socket-channel.ts';
import { acceptWebSockets } from './sockets/upgrade.ts';
import { visitorSocket } from './sockets/visitor-socket.ts';
import { dashboardRoutes, siteRoutes, widgetRoutes } from './static/front-ends.ts';
import { websiteLauncherRoutes } from './websites/website-launcher.ts';

export interface AppDeps {
  db: ParleyDb;
  secrets: Secrets;
  /** The installation's policy; by default Parley's own with no operator settings, for the engine `db` runs on. */
  policy?: PolicyModel;
  config?: Partial<ServerConfig>;
  assets?: Assets;
  /** Between sockets: one process's by default, Redis's for several nodes. */
  bus?: ServerBus;
  /** Builds the presence the app keeps (it says what to do when an agent's grace period lapses). */
  presence?: (options: PresenceOptions) => Presence;
  writer?: MessageWriter;
  /** SEC-1: counts sign-in attempts; one process's memory by default. */
  throttle?: SignInThrottle;
  /** RET-2: counts requests for password-reset mail; one process's memory by default. */
  mailLinks?: MailLinkThrottle;
  /** COL-1: counts sign-ups; one process's memory by default, with the sign-up limits. */
  signupThrottle?: SignInThrottle;
  /** SEC-1: counts new conversations per account; one process's memory by default, by `clock`. */
  windows?: WindowCounter;
  /** Sessions end and presence lapses by it; the system's clock by default. */
  clock?: Clock;
  /** The live state the bus, presence and throttles are on, as `/readyz` asks it; one process's memory by default. */
  live?: Pick<LiveState<unknown>, 'ping'>;
  log?: Logger;
}

export interface ParleyApp {
  app: Hono<AppEnv>;
  services: Services;
  /** Handles WebSocket upgrades on a running Node server. */
  attachWebSockets(server: ServerType): void;
  /**
   * Graceful stop: every socket closes with 1001 once the frames it sent have been handled, queued messages are
   * committed, and the access log is written. The database stays open for the caller to checkpoint and close.
   */
  close(): Promise<void>;
}

/**
 * CHG-1: the version in force now and its cookie declarations. An announced version takes over when its date comes,
 * without a restart; until then nothing it adds is collected or set.
 */
function inForceNow(
  policy: PolicyModel,
): () => { version: PolicyVersion; cookies: readonly CookieDeclaration[] } {
  let current: { version: PolicyVersion; cookies: readonly CookieDeclaration[] } | undefined;
  return () => {
    const version = versionInForce(policy);
    if (current?.version !== version) current = { version, cookies: cookieDeclarations(version.content) };
    return current;
  };
}

/** How long `/readyz` waits for the store and the live state. */
const READY_TIMEOUT_MS = 2_000;

/** `promise`, or a rejection once `ms` have passed without it settling. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The whole server as a Hono app plus its WebSocket handling. Tests call `app.request()` directly, or start it on
 * port 0 with `startServer` for real sockets.
 */
export function createApp(deps: AppDeps): ParleyApp {
  const log = deps.log ?? stdoutLogger;
  const policy = deps.policy ?? policyForInstallation({ storeEngine: deps.db.dialect });
  const inForce = inForceNow(policy);
  const config: ServerConfig = {
    trustProxy: false,
    ownerSecondFactor: 'optional',
    newConversationsPerMinute: NEW_CONVERSATIONS_PER_MINUTE,
    fileMaxBytes: FILE_MAX_BYTES,
    fileQuotaBytes: DEFAULT_FILE_QUOTA_BYTES,
    ...deps.config,
  };
  const clock = deps.clock ?? systemClock;
  // The metrics read the queues they report from the services when scraped, so they are made first.
  const metrics = createChatMetrics(() => ({
    db: s.db,
    writer: s.writer,
    busPending: bus.pending,
    accessLogPending: () => s.accessLog.pending,
  }));
  const bus = countingBus(
    deps.bus ?? new InProcessBus((error) => log.error('a bus subscriber failed', error)),
  );
  const s: Services = {
    db: deps.db,
    config,
    policy,
    get content() {
      return inForce().version.content;
    },
    get policyVersion() {
      const { version, date } = inForce().version;
      return { version, date };
    },
    get cookies() {
      return inForce().cookies;
    },
    secrets: deps.secrets,
    fileLinks: new FileLinks(deps.secrets.fileKey, () => clock.now()),
    clock,
    bus: bus.bus,
    writer: countingWriter(deps.writer ?? createMessageWriter(deps.db), metrics),
    presence: (deps.presence ?? ((options) => new InProcessPresence(options)))({
      clock,
      onLapse: (accountId, change) => {
        publishPresence(s, accountId, change).catch((error: unknown) =>
          log.error('a change of presence was not published', error),
        );
      },
    }),
    sockets: new SocketRegistry(),
    accessLog: new AccessLogWriter(deps.db, (error) =>
      log.error('the access log could not be written', error),
    ),
    throttle: deps.throttle ?? new InMemorySignInThrottle(),
    mailLinks: deps.mailLinks ?? new InMemoryMailLinkThrottle(),
    signupThrottle: deps.signupThrottle ?? new InMemorySignInThrottle({ limits: SIGN_UP_LIMITS }),
    windows: deps.windows ?? new InMemoryWindowCounter({ now: () => clock.now() }),
    assets: deps.assets ?? locateAssets().assets,
    live: deps.live ?? { ping: () => Promise.resolve() },
    log,
    metrics,
  };

  // A bus that lost its connection (Redis went away and came back) dropped what was published meanwhile: every
  // open socket reads what it missed from the store.
  const stopCatchingUp = s.bus.onResumed(() => {
    s.log.warn('the bus was interrupted and is back: open sockets catch up from the store');
    s.sockets.catchUp().then(
      ({ closed }) => {
        if (closed > 0)
          s.log.warn('sockets could not catch up from the store and were closed, so that they resume', {
            sockets: closed,
          });
      },
      (error: unknown) => log.error('sockets could not catch up after the bus was back', error),
    );
  });

  // After a restart, agents whose dashboards were open come back within the grace period: until then they count.
  void listAvailableSignedInAgents(s.db, clock.now()).then(
    async (agents) => {
      for (const { accountId, agentId } of agents) await s.presence.expectBack(accountId, agentId);
    },
    (error: unknown) => log.error('presence could not be restored after the restart', error),
  );

  const app = new Hono<AppEnv>();

  app.onError(errorHandler(log));
  app.use('*', accessLog(s.accessLog, { trustProxy: config.trustProxy }));
  app.use('*', securityHeaders(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }));

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });

  /**
   * Whether this node can serve: 200 when the store and the live state both answer within READY_TIMEOUT_MS, else
   * 503 naming which does not, so that a load balancer sends nobody to a node that would only fail them.
   */
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const [store, live] = await Promise.allSettled([
      within(probeStore(s.db), READY_TIMEOUT_MS),
      within(s.live.ping(), READY_TIMEOUT_MS),
    ]);
    const failing = [
      ...(store.status === 'rejected' ? ['store'] : []),
      ...(live.status === 'rejected' ? ['live state'] : []),
    ];
    if (failing.length === 0) return c.json({ status: 'ready' });
    // The reason's class and code, not its message, which may quote a connection string or a query (LOG-1).
    for (const [dependency, result] of [
      ['store', store],
      ['live state', live],
    ] as const)
      if (result.status === 'rejected')
        log.warn('/readyz: not ready', {
          dependency,
          reason: describeError(result.reason).split('\n')[0] ?? '',
        });
    return c.json({ status: 'not ready', failing }, 503);
  });

  /** SIG-1: this site honours Global Privacy Control (draft spec's well-known resource). */
  app.get('/.well-known/gpc.json', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json({ gpc: true, lastUpdate: s.policyVersion.date });
  });

  // Upgrades on these paths never reach Hono (see `attachWebSockets`); a plain request does.
  const socketRoutes = new Map([
    [VISITOR_SOCKET_PATH, visitorSocket(s)],
    ['/ws/agent', agentSocket(s)],
  ]);
  const upgradeRequired = () => {
    throw new AppError('upgrade_required', 'This address takes WebSocket connections only.');
  };
  for (const path of socketRoutes.keys()) app.get(path, upgradeRequired);

  app.route('/app/api', dashboardApi(s));
  app.route('/api', customerApi(s));
  app.route('/', demoRoutes(s));
  app.route('/', setupRoutes(s));
  app.route(
    '/',
    unsubscribeRoutes({
      db: s.db,
      secret: s.secrets.unsubscribeKey,
      policyVersion: () => s.policyVersion.version,
    }),
  );
  app.route('/', fileRoutes(s));
  app.route('/', widgetRoutes(s));
  app.route('/', websiteLauncherRoutes(s));
  app.route('/', dashboardRoutes(s));
  app.route('/', siteRoutes(s));

  return {
    app,
    services: s,
    attachWebSockets: (server) =>
      acceptWebSockets(server, {
        routes: socketRoutes,
        sockets: s.sockets,
        accessLog: s.accessLog,
        trustProxy: config.trustProxy,
        log,
        onSocket: (path, change) => {
          const kind = path === VISITOR_SOCKET_PATH ? 'visitor' : 'agent';
          if (change === 'opened') metrics.socketOpened(kind);
          else metrics.socketClosed(kind);
        },
      }),
    async close() {
      stopCatchingUp();
      await s.sockets.closeAll(CLOSE_CODES.goingAway, 'server shutting down');
      await s.writer.close();
      await s.accessLog.flush();
      await s.presence.close();
      await s.bus.close();
    },
  };
}
