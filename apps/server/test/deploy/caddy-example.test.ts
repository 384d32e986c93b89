import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// deploy/Caddyfile, the example operators copy: Caddy itself reads it (skipped where Caddy is not installed) and
// must find it complete and without a warning.

const run = promisify(execFile);
const CADDYFILE = fileURLToPath(new URL('../../../../deploy/Caddyfile', import.meta.url));
const CADDY = ['/usr/bin/caddy', '/usr/local/bin/caddy'].find((path) => existsSync(path));

interface Handler {
  handler: string;
  max_size?: number;
  upstreams?: Array<{ dial: string }>;
  routes?: Array<{ handle: Handler[] }>;
}

/** Every handler of Caddy's JSON configuration, those inside subroutes too. */
const handlersOf = (handlers: Handler[]): Handler[] =>
  handlers.flatMap((h) => [h, ...handlersOf((h.routes ?? []).flatMap((route) => route.handle))]);

describe.skipIf(CADDY === undefined)('deploy/Caddyfile (skipped where Caddy is not installed)', () => {
  it('proxies chat.example.com to the chat server with room for the largest file, without a warning', async () => {
    const { stdout, stderr } = await run(CADDY!, ['adapt', '--config', CADDYFILE, '--adapter', 'caddyfile']);
    expect(stderr).toBe('');
    const config = JSON.parse(stdout) as {
      apps: { http: { servers: Record<string, { routes: Array<{ match: unknown; handle: Handler[] }> }> } };
    };
    const routes = Object.values(config.apps.http.servers).flatMap((server) => server.routes);
    expect(routes.map((route) => route.match)).toEqual([[{ host: ['chat.example.com'] }]]);
    const handlers = handlersOf(routes.flatMap((route) => route.handle));
    const proxies = handlers.filter((h) => h.handler === 'reverse_proxy');
    expect(proxies.map((h) => h.upstreams)).toEqual([[{ dial: '127.0.0.1:8787' }]]);
    // PARLEY_FILE_MAX_MIB's default, 10 MiB, must get through.
    const [limit] = handlers.filter((h) => h.handler === 'request_body');
    expect(limit?.max_size).toBeGreaterThan(10 * 1024 * 1024);
  });
});
