import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { ParleyApp } from './app.ts';

export interface RunningServer {
  server: ServerType;
  port: number;
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  /** Stops accepting, closes every socket with 1001 after its pending work, and waits for connections to end. */
  shutdown(): Promise<void>;
}

/** Connections still open this long after shutdown began are cut. */
export const SHUTDOWN_GRACE_MS = 5_000;

export function startServer(
  parley: ParleyApp,
  options: { host: string; port: number },
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: parley.app.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        let stopping: Promise<void> | null = null;
        resolve({
          server,
          port: info.port,
          url: `http://${host}:${info.port}`,
          shutdown() {
            stopping ??= (async () => {
              const closed = new Promise<void>((done) => server.close(() => done()));
              if ('closeIdleConnections' in server) server.closeIdleConnections();
              await parley.close();
              const cut = setTimeout(() => {
                if ('closeAllConnections' in server) server.closeAllConnections();
              }, SHUTDOWN_GRACE_MS);
              cut.unref();
              await closed;
              clearTimeout(cut);
            })();
            return stopping;
          },
        });
      },
    );
    server.once('error', reject);
    parley.attachWebSockets(server);
  });
}
