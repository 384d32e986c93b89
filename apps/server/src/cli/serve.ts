import { ConfigError, loadConfig } from '@parley/config';
import { Command } from 'commander';
import { bootstrap } from '../bootstrap.ts';
import { createLogger } from '../logger.ts';
import { setupLink } from '../setup/setup-link.ts';
import { StartupError } from '../startup-error.ts';
import { CommandError, sqlitePath } from './common.ts';
import { holdServingLock } from './serving-lock.ts';

/**
 * Starts Parley: the chat server and the admin console, until SIGTERM or SIGINT, which finish open work first. The
 * one start path: `npm start` and the built `main.js` call it too.
 */
async function start(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.PARLEY_LOG_LEVEL });
  // Where Parley listens and the first start's one-time sign-in are said whatever PARLEY_LOG_LEVEL asks for: an
  // operator who quietened the log must still get the password that is never shown again.
  const announce = createLogger();
  const parley = await bootstrap(config, { log });
  // `parley restore` refuses to replace the SQLite file while this mark names a live server.
  const database = sqlitePath(config);
  if (database !== null) holdServingLock(database);
  const { chat, admin, base } = await parley.start();

  announce.info(`Parley is listening on ${chat}`);
  if (admin) announce.info(`The admin console is on ${admin}`);
  if (parley.firstStaff) {
    announce.info(
      [
        '',
        'An operator account for the admin console was created (shown this once only):',
        `  email:     ${parley.firstStaff.email}`,
        `  password:  ${parley.firstStaff.password}`,
        `  console:   ${admin ?? 'disabled (ADMIN_PORT=off)'}`,
        '',
      ].join('\n'),
    );
  }
  if (parley.setupToken) {
    announce.info(`Set up this installation: ${setupLink(base, parley.setupToken)}`);
  }
  if (parley.demo) {
    announce.info(
      [
        '',
        'A demo account was created. Its owner signs in with (shown this once only):',
        `  email:     ${parley.demo.email}`,
        `  password:  ${parley.demo.password}`,
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
      await parley.stop();
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

/** Starts Parley; a failure to start is one line when a setting is to blame, with its stack when Parley is. */
export async function serve(): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError)
      throw new CommandError(`Parley cannot start: ${error.message}`);
    console.error(`Parley cannot start: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
    process.exit(1);
  }
}

export const serveCommand = () =>
  new Command('serve')
    .summary('start the chat server and the admin console')
    .description(
      'Starts Parley with the settings from the environment and the file PARLEY_CONFIG names: the chat server on PORT and the admin console on ADMIN_PORT. Migrates the store first. SIGTERM or Ctrl-C finishes open work, then stops.',
    )
    .action(serve);
