import { existsSync } from 'node:fs';
import { type Config, ConfigError, fromCwd, loadConfig } from '@parley/config';
import type { ParleyDb } from '@parley/db';
import { openStore } from '../bootstrap.ts';
import { locateAssets } from '../paths.ts';
import { StartupError } from '../startup-error.ts';

/**
 * What the operator can fix (a setting, a missing file, a refused target): `parley` prints its message as one line
 * and exits non-zero, without a stack trace.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** The settings, as the server reads them; a bad one is one line naming the setting, its value and what is allowed. */
export function settings(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError)
      throw new CommandError(`Parley's settings are not valid: ${error.message}`);
    throw error;
  }
}

/** The SQLite file DATABASE_URL names, or null on PostgreSQL. */
export const sqlitePath = (config: Config): string | null =>
  config.DATABASE_URL.kind === 'sqlite' ? fromCwd(config.DATABASE_URL.path) : null;

/**
 * Opens the installation's store and brings its schema up to date, as the server does. A command that works on
 * existing data refuses a SQLite path where there is no file: a mistyped path must not create an empty installation.
 * One that sets a new installation up (`create`) makes it, as a first start does.
 */
export async function openInstallation(
  config: Config,
  options: { create?: boolean } = {},
): Promise<ParleyDb> {
  const path = sqlitePath(config);
  if (path !== null && !options.create && !existsSync(path))
    throw new CommandError(`No database at ${path}. Start Parley once, or set DATABASE_URL.`);
  return openStore(config, locateAssets().assets.migrations).catch((error: unknown) => {
    throw error instanceof StartupError ? new CommandError(error.message) : error;
  });
}

/** The store's URL as `openStore` of @parley/db takes it: a SQLite path resolved from the working directory. */
export const storeUrl = (config: Config): string =>
  config.DATABASE_URL.kind === 'sqlite'
    ? `file:${fromCwd(config.DATABASE_URL.path)}`
    : config.DATABASE_URL.url;
