// For tools that run the server in-process (benchmarks, other apps' tests): the app, the listener, and the pieces
// they need to build one. Production starts from main.ts.
export { type AppDeps, createApp, type ParleyApp } from './app.ts';
export { ephemeralSecrets, loadSecrets, type Secrets } from './auth/secrets.ts';
export { type Bus, type BusMessage, InProcessBus, topics } from './delivery/bus.ts';
export { type Env, loadEnv } from './env.ts';
export { consoleLogger, type Logger, silentLogger } from './logger.ts';
export { type Assets, locateAssets } from './paths.ts';
export { type RunningServer, startServer } from './server.ts';
export type { ServerConfig } from './services.ts';
