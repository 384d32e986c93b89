// For tools that run the server in-process (benchmarks, other apps' tests): the whole of Parley from its
// configuration (`bootstrap`), or the app, the listener and the pieces they need to build one.
export { type AppDeps, createApp, type ParleyApp } from './app.ts';
export { ephemeralSecrets, loadSecrets, type Secrets } from './auth/secrets.ts';
export { type Addresses, bootstrap, type Parley } from './bootstrap.ts';
export { type BusMessage, type ServerBus, topics } from './delivery/bus.ts';
export { type CheckedFile, checkFile } from './files/file-checks.ts';
export { type Logger, silentLogger, stdoutLogger } from './logger.ts';
export { type Assets, locateAssets } from './paths.ts';
export { type RunningServer, startServer } from './server.ts';
export type { ServerConfig } from './services.ts';
