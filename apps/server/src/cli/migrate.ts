import { existsSync } from 'node:fs';
import { closeDatabase, migrationNames, openStore, pendingMigrations } from '@parley/db';
import { Command } from 'commander';
import { openStore as openConfiguredStore } from '../bootstrap.ts';
import { locateAssets } from '../paths.ts';
import { StartupError } from '../startup-error.ts';
import { CommandError, settings, sqlitePath, storeUrl } from './common.ts';

/** The migrations `migrate` would apply to the configured store, read without changing it (nor creating a file). */
async function pending(config: ReturnType<typeof settings>): Promise<string[]> {
  const { migrations } = locateAssets().assets;
  const path = sqlitePath(config);
  if (path !== null && !existsSync(path)) return migrationNames(migrations.sqlite);
  const db = openStore(storeUrl(config));
  try {
    return await pendingMigrations(db, migrations);
  } finally {
    await closeDatabase(db);
  }
}

/** Applies the pending migrations, or with `check` names them and fails, changing nothing. */
export async function migrateStore(options: { check?: boolean }): Promise<void> {
  const config = settings();
  const waiting = await pending(config);
  if (options.check) {
    if (waiting.length === 0) {
      console.log('The store is up to date: no migration is pending.');
      return;
    }
    throw new CommandError(
      `${waiting.length} migration${waiting.length === 1 ? ' is' : 's are'} pending: ${waiting.join(', ')}; run \`parley migrate\` (or start Parley) to apply them`,
    );
  }
  const db = await openConfiguredStore(config, locateAssets().assets.migrations).catch((error: unknown) => {
    throw error instanceof StartupError ? new CommandError(error.message) : error;
  });
  await closeDatabase(db);
  console.log(
    waiting.length === 0 ? 'The store was up to date.' : `Applied ${waiting.length}: ${waiting.join(', ')}.`,
  );
}

export const migrateCommand = () =>
  new Command('migrate')
    .summary('bring the store up to this version of Parley')
    .description(
      'Applies the migrations this version of Parley brings to the store DATABASE_URL names, as starting Parley does (a missing SQLite file is created). With --check, applies nothing: names the pending migrations and exits with 1, or exits with 0 when there are none, e.g. for a deploy script.',
    )
    .option('--check', 'only report the pending migrations; exit with 1 if there are any')
    .action(migrateStore);
