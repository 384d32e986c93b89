import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '@parley/config';
import { fromCwd } from '@parley/config';
import {
  checkpoint,
  closeDatabase,
  folderFileStore,
  inTurn,
  type MigrationFolders,
  migrate,
  openStore as openStoreAt,
  type ParleyDb,
  startCheckpointer,
} from '@parley/db';
import { deleteExpiredPersonLinks, deleteExpiredSessions } from '@parley/db/chat';
import { openLiveState, RedisUnreachableError } from '@parley/live';
import { contentInForce } from '@parley/policy';
import { ensureFirstStaff, startAdminConsole } from './admin-console/admin-console.ts';
import { createApp, type ParleyApp } from './app.ts';
import { disconnectAccount } from './auth/account-closure.ts';
import { loadSecrets } from './auth/secrets.ts';
import type { BusMessage } from './delivery/bus.ts';
import { type DemoCredentials, ensureDemoAccount } from './demo/demo-account.ts';
import type { Logger } from './logger.ts';
import { createMailTransport, startMailer } from './mail/mailer.ts';
import { startMissedChatMail } from './mail/missed-chat-mail.ts';
import { recordedTransport } from './mail/processor-transport.ts';
import { type Assets, locateAssets } from './paths.ts';
import { installationPolicy } from './privacy/installation-policy.ts';
import { startRetentionTimer } from './privacy/retention-timer.ts';
import { type RunningServer, startServer } from './server.ts';
import { ensureSetupToken } from './setup/setup-link.ts';
import { listenFailure, StartupError } from './startup-error.ts';

const SESSION_CLEANUP_EVERY_MS = 60 * 60 * 1000;
/** The unit of the file settings: PARLEY_FILE_MAX_MIB and PARLEY_FILE_QUOTA_MIB. */
const MIB = 1024 * 1024;

/** Where a started Parley listens. */
export interface Addresses {
  /** The chat server, e.g. http://127.0.0.1:8787. */
  chat: string;
  /** The admin console's listener; null with ADMIN_PORT=off. */
  admin: string | null;
  /** The origin people reach Parley at: PARLEY_PUBLIC_URL, or the chat server's address. */
  base: string;
}

export interface Parley {
  /** The chat app, for in-process callers (tests) that need its services. */
  app: ParleyApp;
  /** The first operator's sign-in, created on this start only; shown once. */
  firstStaff: { email: string; password: string } | null;
  /** The demo account, created on an installation's first start only; shown once. */
  demo: DemoCredentials | null;
  /**
   * With PARLEY_DEMO=0, while no staff member exists: the token of this start's one-time setup link (`setupLink`),
   * printed once; the link an earlier start printed no longer works.
   */
  setupToken: string | null;
  /** Listens on the chat port and, unless ADMIN_PORT=off, the admin console's. */
  start(): Promise<Addresses>;
  /**
   * Stops gracefully: sockets close with 1001 after their pending frames, the message writer is flushed, timers and
   * the mailer stop, and the store is closed (SQLite checkpointed first). Calling it again waits for the same stop.
   */
  stop(): Promise<void>;
}

/** Mail written without SMTP is a copy of an outbox row, kept in the folder PARLEY_MAIL_DIR names. */
export const mailFilesOf = (config: Config) => folderFileStore(fromCwd(config.PARLEY_MAIL_DIR), '.eml');

/**
 * The erasure ledger file, which outlives the store (RET-4): beside the SQLite file, or for PostgreSQL in the data
 * folder that holds the mail folder (`./data` unless PARLEY_MAIL_DIR moves it).
 */
export const erasureLedgerFileOf = (config: Config): string =>
  join(
    dirname(
      config.DATABASE_URL.kind === 'sqlite'
        ? fromCwd(config.DATABASE_URL.path)
        : fromCwd(config.PARLEY_MAIL_DIR),
    ),
    'erasure-ledger.jsonl',
  );

/** How many connections each Parley process keeps open to PostgreSQL. */
const POSTGRES_POOL_SIZE = 10;

/**
 * Opens the store the configuration names and brings its schema up to date: what every Parley process and command
 * does before it touches data. The store knows the mail folder, so that erasure and the retention sweep delete the
 * files with their rows; registered with SMTP too, for files from before it was set.
 */
export async function openStore(config: Config, migrations: MigrationFolders): Promise<ParleyDb> {
  const location = config.DATABASE_URL;
  const files = { mail: mailFilesOf(config) };
  const erasureLedger = erasureLedgerFileOf(config);
  if (location.kind === 'postgres') {
    // The SQLite file's folder is made below; PostgreSQL's ledger file needs the data folder too.
    mkdirSync(dirname(erasureLedger), { recursive: true });
    const db = openStoreAt(location.url, { files, erasureLedger, poolSize: POSTGRES_POOL_SIZE });
    try {
      await migrate(db, migrations);
    } catch (error) {
      await closeDatabase(db);
      throw new StartupError(
        `DATABASE_URL=${db.path}: the PostgreSQL database cannot be used (${error instanceof Error ? error.message : String(error)}); check that the server is running and the user may create tables in that database`,
      );
    }
    return db;
  }
  const path = fromCwd(location.path);
  let db: ParleyDb;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = openStoreAt(`file:${path}`, { files, erasureLedger });
  } catch (error) {
    throw new StartupError(
      `DATABASE_URL=file:${location.path}: the database cannot be opened there (${error instanceof Error ? error.message : String(error)}); choose a path in a folder this user may write to`,
    );
  }
  await migrate(db, migrations);
  return db;
}

/**
 * Builds one Parley from its configuration: the store, the installation's secrets and policy, the demo account and
 * first staff member, the mailer, the retention sweep, session cleanup, the chat app and the admin console. Nothing
 * listens until `start()`.
 */
export async function bootstrap(config: Config, options: { log: Logger; assets?: Assets }): Promise<Parley> {
  const { log } = options;
  if (!config.PARLEY_OPERATOR_NAME || !config.PARLEY_PRIVACY_CONTACT)
    log.warn(
      `PARLEY_OPERATOR_NAME and PARLEY_PRIVACY_CONTACT are not both set: the privacy policy names Parley's defaults as the party responsible for this installation's data; set them to who runs it and where people write about their data`,
    );

  let assets = options.assets;
  if (!assets) {
    const located = locateAssets();
    for (const build of located.missing)
      log.warn(
        `The ${build.name} build is missing (looked in ${build.looked.join(' and ')}); run: ${build.build}`,
      );
    assets = located.assets;
  }

  // The live state first: a Redis that cannot be reached stops the start before the store is touched.
  const live = await openLiveState<BusMessage>({
    redisUrl: config.PARLEY_REDIS_URL,
    prefix: config.PARLEY_REDIS_PREFIX,
    onError: (error) => log.error('the live state (bus, presence or sign-in throttle) failed', error),
    log,
  }).catch((error: unknown) => {
    throw error instanceof RedisUnreachableError
      ? new StartupError(`PARLEY_REDIS_URL: ${error.message}`)
      : error;
  });
  if (live.kind === 'redis' && !config.SMTP_URL)
    log.warn(
      'PARLEY_REDIS_URL is set but SMTP_URL is not: each node writes the mail it sends as files in its own PARLEY_MAIL_DIR; nodes sharing Redis should send through SMTP_URL',
    );

  const db = await openStore(config, assets.migrations).catch(async (error: unknown) => {
    await live.close();
    throw error;
  });
  // SQLite: WAL checkpoints copy pages and sync the file; a worker thread does that, so no chat message waits for
  // it. PostgreSQL checkpoints on its own.
  const checkpointer =
    db.dialect === 'sqlite'
      ? startCheckpointer(db, { onError: (error) => log.error('the WAL checkpoint failed', error) })
      : null;

  // Nodes of one installation that start at once set it up one after the other: the first creates the secrets, the
  // demo account and the first staff member; the others find them.
  const { policy, secrets, demo, firstStaff, setupToken } = await inTurn(
    db,
    'installation-setup',
    async () => {
      // CHG-1: every version is recorded with the date it comes into force here; a significant new one queues a
      // notice.
      const policy = await installationPolicy(db, config);
      const content = contentInForce(policy);
      const secrets = await loadSecrets(db, config.PARLEY_SESSION_KEYS);
      // A production start (PARLEY_DEMO=0) creates nobody: it prints a one-time setup link while no staff exists.
      if (!config.PARLEY_DEMO)
        return { policy, secrets, demo: null, firstStaff: null, setupToken: await ensureSetupToken(db) };
      // On a first start both hash a new password (scrypt, a few hundred ms on a small machine): side by side, on
      // two threads of the pool, instead of one after the other.
      const [demo, firstStaff] = await Promise.all([
        ensureDemoAccount(db, content.regions.installation),
        ensureFirstStaff(db),
      ]);
      return { policy, secrets, demo, firstStaff, setupToken: null };
    },
  ).catch(async (error: unknown) => {
    // A start that fails half-way leaves no store open behind it (an in-process caller lives on).
    await checkpointer?.stop();
    await closeDatabase(db);
    await live.close();
    throw error;
  });

  const parley = createApp({
    db,
    secrets,
    policy,
    assets,
    log,
    bus: live.bus,
    presence: (presenceOptions) => live.presence(presenceOptions),
    throttle: live.throttle,
    mailLinks: live.mailLinks,
    signupThrottle: live.signups,
    windows: live.windows,
    live,
    config: {
      trustProxy: config.PARLEY_TRUST_PROXY,
      signup: config.PARLEY_SIGNUP,
      ownerSecondFactor: config.PARLEY_OWNER_2FA,
      newConversationsPerMinute: config.PARLEY_NEW_CHATS_PER_MINUTE,
      fileMaxBytes: config.PARLEY_FILE_MAX_MIB * MIB,
      fileQuotaBytes: config.PARLEY_FILE_QUOTA_MIB * MIB,
      ...(config.PARLEY_PUBLIC_URL ? { publicUrl: config.PARLEY_PUBLIC_URL } : {}),
      ...(config.PARLEY_COUNTRY_HEADER ? { countryHeader: config.PARLEY_COUNTRY_HEADER } : {}),
    },
  });

  const transport = createMailTransport({
    ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}),
    files: mailFilesOf(config),
  });
  // What the mail relay may receive and what the sweep keeps follow the version in force, which can change while
  // the server runs, when an announced version's date comes.
  const inForce = () => parley.services.content;
  const stopMailer = startMailer(db, recordedTransport(db, inForce, transport), {
    from:
      config.PARLEY_MAIL_FROM ??
      `Parley <no-reply@${config.PARLEY_PUBLIC_URL ? new URL(config.PARLEY_PUBLIC_URL).hostname : 'localhost'}>`,
    onError: (error) => log.error('the mailer failed', error),
  });
  // RET-3: the retention sweep runs on a timer, in small batches between which chat is served.
  const stopRetention = startRetentionTimer(db, inForce, {
    onError: (error) => log.error('the retention sweep failed', error),
  });
  const sessionCleanup = setInterval(() => {
    deleteExpiredSessions(db).catch((error: unknown) =>
      log.error('expired sessions were not deleted', error),
    );
    deleteExpiredPersonLinks(db).catch((error: unknown) =>
      log.error('expired email and password links were not deleted', error),
    );
  }, SESSION_CLEANUP_EVERY_MS);
  sessionCleanup.unref();

  let running: RunningServer | null = null;
  let admin: { url: string; close: () => Promise<void> } | null = null;
  let stopMissedChatMail: (() => Promise<void>) | null = null;
  let stopping: Promise<void> | null = null;

  const start = async (): Promise<Addresses> => {
    if (running) throw new Error('Parley has already started');
    const { HOST: host, PORT: port } = config;
    running = await startServer(parley, { host, port }).catch((error: unknown) => {
      throw listenFailure(error, { host, port, hostSetting: 'HOST', portSetting: 'PORT' });
    });
    const base =
      config.PARLEY_PUBLIC_URL ??
      (['0.0.0.0', '::'].includes(host) ? `http://localhost:${running.port}` : running.url);
    // The mail about missed chats links to the dashboard, whose address is known once the server listens.
    stopMissedChatMail = startMissedChatMail(db, {
      dashboardUrl: `${base}/app`,
      onError: (error) => log.error('the mail about missed chats failed', error),
    });
    const adminPort = config.ADMIN_PORT;
    if (adminPort !== 'off')
      admin = await startAdminConsole({
        db,
        policy,
        secrets,
        host: config.ADMIN_HOST,
        port: adminPort,
        publicUrl: base,
        mailDirectory: fromCwd(config.PARLEY_MAIL_DIR),
        publicDirectory: assets.admin,
        // One count of sign-in attempts for the dashboard and the console, shared by every node.
        signInThrottle: live.throttle,
        onAccountClosed: (accountId) => disconnectAccount(parley.services, accountId),
        bus: live.bus,
        metrics: parley.services.metrics,
      }).catch((error: unknown) => {
        throw listenFailure(error, {
          host: config.ADMIN_HOST,
          port: adminPort,
          hostSetting: 'ADMIN_HOST',
          portSetting: 'ADMIN_PORT',
        });
      });
    return { chat: running.url, admin: admin?.url ?? null, base };
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(sessionCleanup);
      // Never started: the app still holds a writer and a bus to close.
      if (running) await running.shutdown();
      else await parley.close();
      await admin?.close();
      // After the app and the console, which publish, count presence and throttle sign-ins until they close.
      await live.close();
      await stopMissedChatMail?.();
      await stopMailer();
      await stopRetention();
      await checkpointer?.stop();
      await checkpoint(db);
      await closeDatabase(db);
    })();
    return stopping;
  };

  return { app: parley, firstStaff, demo, setupToken, start, stop };
}
