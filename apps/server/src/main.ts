import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  checkpoint,
  closeDatabase,
  folderFileStore,
  migrate,
  openDatabase,
  type ParleyDb,
  startCheckpointer,
} from '@parley/db';
import { deleteExpiredSessions } from '@parley/db/chat';
import { contentInForce } from '@parley/policy';
import { ensureFirstStaff, startAdminConsole } from './admin-console/admin-console.ts';
import { createApp } from './app.ts';
import { loadSecrets } from './auth/secrets.ts';
import { ensureDemoAccount } from './demo/demo-account.ts';
import { EnvError, fromCwd, loadEnv } from './env.ts';
import { consoleLogger as log } from './logger.ts';
import { createMailTransport, startMailer } from './mail/mailer.ts';
import { recordedTransport } from './mail/processor-transport.ts';
import { locateAssets } from './paths.ts';
import { installationPolicy } from './privacy/installation-policy.ts';
import { startRetentionTimer } from './privacy/retention-timer.ts';
import { startServer } from './server.ts';
import { listenFailure, StartupError } from './startup-error.ts';

const SESSION_CLEANUP_EVERY_MS = 60 * 60 * 1000;

async function main(): Promise<void> {
  const env = loadEnv();
  if (!env.PARLEY_OPERATOR_NAME || !env.PARLEY_PRIVACY_CONTACT)
    log.warn(
      `PARLEY_OPERATOR_NAME and PARLEY_PRIVACY_CONTACT are not both set: the privacy policy names Parley's defaults as the party responsible for this installation's data; set them to who runs it and where people write about their data`,
    );

  const { assets, missing } = locateAssets();
  for (const build of missing)
    log.warn(
      `The ${build.name} build is missing (looked in ${build.looked.join(' and ')}); run: ${build.build}`,
    );

  const databasePath = fromCwd(env.DATABASE_PATH);
  // Mail written without SMTP is a copy of an outbox row: the database knows the folder, so that erasure and the
  // retention sweep delete the files with their rows. Registered with SMTP too, for files from before it was set.
  const mailFiles = folderFileStore(fromCwd(env.PARLEY_MAIL_DIR), '.eml');
  let db: ParleyDb;
  try {
    mkdirSync(dirname(databasePath), { recursive: true });
    db = openDatabase(databasePath, { files: { mail: mailFiles } });
  } catch (error) {
    throw new StartupError(
      `DATABASE_PATH=${env.DATABASE_PATH}: the database cannot be opened there (${error instanceof Error ? error.message : String(error)}); choose a path in a folder this user may write to`,
    );
  }
  await migrate(db, assets.migrations);
  // WAL checkpoints copy pages and sync the file; a worker thread does that, so no chat message waits for it.
  const checkpointer = startCheckpointer(db, {
    onError: (error) => log.error('the WAL checkpoint failed', error),
  });

  // CHG-1: every version is recorded with the date it comes into force here; a significant new one queues a notice.
  const policy = await installationPolicy(db, env);
  const content = contentInForce(policy);

  const secrets = await loadSecrets(db, env.PARLEY_SESSION_KEYS);
  // On a first start both hash a new password (scrypt, a few hundred ms on a small machine): side by side, on two
  // threads of the pool, instead of one after the other.
  const [demo, firstStaff] = await Promise.all([
    ensureDemoAccount(db, content.regions.installation),
    ensureFirstStaff(db),
  ]);

  const parley = createApp({
    db,
    secrets,
    policy,
    assets,
    log,
    config: {
      trustProxy: env.PARLEY_TRUST_PROXY,
      ...(env.PARLEY_PUBLIC_URL ? { publicUrl: env.PARLEY_PUBLIC_URL } : {}),
      ...(env.PARLEY_COUNTRY_HEADER ? { countryHeader: env.PARLEY_COUNTRY_HEADER } : {}),
    },
  });

  const transport = createMailTransport({
    ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
    files: mailFiles,
  });
  // What the mail relay may receive and what the sweep keeps follow the version in force, which can change while
  // the server runs, when an announced version's date comes.
  const inForce = () => parley.services.content;
  const stopMailer = startMailer(db, recordedTransport(db, inForce, transport), {
    from:
      env.PARLEY_MAIL_FROM ??
      `Parley <no-reply@${env.PARLEY_PUBLIC_URL ? new URL(env.PARLEY_PUBLIC_URL).hostname : 'localhost'}>`,
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
  }, SESSION_CLEANUP_EVERY_MS);
  sessionCleanup.unref();

  const running = await startServer(parley, { host: env.HOST, port: env.PORT }).catch((error: unknown) => {
    throw listenFailure(error, { host: env.HOST, port: env.PORT, hostSetting: 'HOST', portSetting: 'PORT' });
  });
  const base =
    env.PARLEY_PUBLIC_URL ??
    (['0.0.0.0', '::'].includes(env.HOST) ? `http://localhost:${running.port}` : running.url);
  log.info(`Parley is listening on ${running.url}`);
  const adminPort = env.ADMIN_PORT;
  const admin =
    adminPort === 'off'
      ? null
      : await startAdminConsole({
          db,
          policy,
          secrets,
          host: env.ADMIN_HOST,
          port: adminPort,
          publicUrl: base,
          mailDirectory: fromCwd(env.PARLEY_MAIL_DIR),
          publicDirectory: assets.admin,
        }).catch((error: unknown) => {
          throw listenFailure(error, {
            host: env.ADMIN_HOST,
            port: adminPort,
            hostSetting: 'ADMIN_HOST',
            portSetting: 'ADMIN_PORT',
          });
        });
  if (admin) log.info(`The admin console is on ${admin.url}`);
  if (firstStaff) {
    log.info(
      [
        '',
        'An operator account for the admin console was created (shown this once only):',
        `  email:     ${firstStaff.email}`,
        `  password:  ${firstStaff.password}`,
        `  console:   ${admin?.url ?? 'disabled (ADMIN_PORT=off)'}`,
        '',
      ].join('\n'),
    );
  }
  if (demo) {
    log.info(
      [
        '',
        'A demo account was created. Its owner signs in with (shown this once only):',
        `  email:     ${demo.email}`,
        `  password:  ${demo.password}`,
        '',
        `  Demo page:       ${base}/demo`,
        `  Agent dashboard: ${base}/app`,
        `  Privacy policy:  ${base}/privacy`,
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing open work and shutting down`);
    try {
      clearInterval(sessionCleanup);
      await running.shutdown();
      await admin?.close();
      await stopMailer();
      await stopRetention();
      await checkpointer.stop();
      await checkpoint(db);
      await closeDatabase(db);
      process.exit(0);
    } catch (error) {
      log.error('shutdown failed', error);
      process.exit(1);
    }
  };
  // `on`, not `once`: Ctrl-C reaches both this process and the start script, which passes it on; a second signal
  // while stopping must not kill the process half-way through its shutdown.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

try {
  await main();
} catch (error) {
  // A setting an operator can fix is one line; anything else is a fault in Parley, reported with its stack.
  if (error instanceof EnvError || error instanceof StartupError) {
    console.error(`Parley cannot start: ${error.message}`);
  } else {
    console.error(`Parley cannot start: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
  }
  process.exit(1);
}
