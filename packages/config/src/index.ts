export {
  Config,
  ConfigError,
  type DatabaseLocation,
  DatabaseUrl,
  DEFAULT_DATABASE_URL,
  fromCwd,
  loadConfig,
  SETTINGS,
} from './config.ts';
