import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@parley/config';
import { type Addresses, bootstrap, type Parley } from '../bootstrap.ts';
import { silentLogger } from '../logger.ts';

// The whole of Parley in the test's process, built by `bootstrap` exactly as `main.ts` builds it: its own data
// folder, any free port for the chat server and the admin console, and nothing read from the environment.

export interface TestParley {
  parley: Parley;
  addresses: Addresses;
  /** The temporary folder holding the database (`parley.db`) and the mail folder (`mail/`). */
  dataDir: string;
  databasePath: string;
  /** Stops Parley (see `Parley.stop`); the data folder stays for the test to inspect. */
  stop(): Promise<void>;
  /** Stops Parley if it still runs and deletes its data folder. */
  remove(): Promise<void>;
}

/** Bootstraps and starts Parley on port 0; `settings` are setting names and values, as in the environment. */
export async function startTestParley(settings: Record<string, string> = {}): Promise<TestParley> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bootstrap-'));
  const databasePath = join(dataDir, 'parley.db');
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    ADMIN_PORT: '0',
    DATABASE_URL: `file:${databasePath}`,
    PARLEY_MAIL_DIR: join(dataDir, 'mail'),
    PARLEY_OPERATOR_NAME: 'Parley Tests Ltd',
    PARLEY_PRIVACY_CONTACT: 'privacy@parley.test',
    ...settings,
  });
  const parley = await bootstrap(config, { log: silentLogger });
  const addresses = await parley.start().catch(async (error: unknown) => {
    await parley.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    parley,
    addresses,
    dataDir,
    databasePath,
    stop: () => parley.stop(),
    async remove() {
      await parley.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
