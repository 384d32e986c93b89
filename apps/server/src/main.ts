import { ConfigError, loadConfig } from '@parley/config';
import { bootstrap } from './bootstrap.ts';
import { consoleLogger as log } from './logger.ts';
import { setupLink } from './setup/setup-link.ts';
import { StartupError } from './startup-error.ts';

async function main(): Promise<void> {
  const parley = await bootstrap(loadConfig(), { log });
  const { chat, admin, base } = await parley.start();

  log.info(`Parley is listening on ${chat}`);
  if (admin) log.info(`The admin console is on ${admin}`);
  if (parley.firstStaff) {
    log.info(
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
    log.info(`Set up this installation: ${setupLink(base, parley.setupToken)}`);
  }
  if (parley.demo) {
    log.info(
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

try {
  await main();
} catch (error) {
  // A setting an operator can fix is one line; anything else is a fault in Parley, reported with its stack.
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`Parley cannot start: ${error.message}`);
  } else {
    console.error(`Parley cannot start: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
  }
  process.exit(1);
}
