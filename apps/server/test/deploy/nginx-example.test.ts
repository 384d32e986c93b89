import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, hashPassword, migrate, openDatabase, openStore, type ParleyDb } from '@parley/db';
import { createAccountWithOwner } from '@parley/db/chat';
import { readRows } from '@parley/db/testing';
import { nginxMain, type RunningNginx, startNginxWith } from '@parley/test-services/nginx';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../../src/testing/test-app.ts';
import { freePort, type ServerProcess, startServerProcess } from '../faults/server-process.ts';

// deploy/nginx.conf, the example operators copy, in front of a real Parley: the test's configuration is made from
// the example itself (only its listeners, certificates and upstream address are swapped for the test's), so what
// is proven here is what the example does.

const EXAMPLE = readFileSync(new URL('../../../../deploy/nginx.conf', import.meta.url), 'utf8');
const SHOP = 'https://shop.example';
/** An address of the loopback network other than nginx's own, for the client: what Parley must see and log. */
const CLIENT_ADDRESS = '127.9.9.9';
const MIB = 1024 * 1024;

/** The top-level statements and blocks of an nginx file, comments left out, each as written. */
function topLevel(text: string): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const code = line.replace(/#.*$/, '');
    if (depth === 0 && code.trim() === '') continue;
    current.push(line);
    depth += (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
    if (depth === 0 && /[;}]\s*$/.test(code)) {
      parts.push(current.join('\n'));
      current = [];
    }
  }
  return parts;
}

/** Every `location … { … }` block of a server block, as written. */
const locationsOf = (server: string): string[] =>
  topLevel(server.slice(server.indexOf('{') + 1, server.lastIndexOf('}'))).filter((part) =>
    part.trim().startsWith('location'),
  );

/**
 * The example with the TLS server listening on `listen` in plain HTTP, the redirect from port 80 left out, and
 * the upstream pointing at `parley`: everything else (the locations, the body size, the headers) as written.
 */
function renderForTest(example: string, listen: string, parley: string): string {
  const parts = topLevel(example);
  const tls = parts.find((part) => /^\s*listen 443 ssl;/m.test(part));
  const upstream = parts.find((part) => part.startsWith('upstream parley'));
  if (!tls || !upstream?.includes('server 127.0.0.1:8787;'))
    throw new Error('deploy/nginx.conf no longer has the server and upstream this test expects');
  return parts
    .filter((part) => !/^\s*listen 80;/m.test(part))
    .map((part) => {
      if (part === upstream) return part.replace('server 127.0.0.1:8787;', `server ${parley};`);
      if (part !== tls) return part;
      const lines = part.split('\n').filter((line) => !/^\s*(listen|ssl_)/.test(line));
      return [lines[0], `  listen ${listen};`, ...lines.slice(1)].join('\n');
    })
    .join('\n');
}

/** A GET through nginx from CLIENT_ADDRESS, with a forged X-Forwarded-For that nginx must replace. */
function getFromClientAddress(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { localAddress: CLIENT_ADDRESS, headers: { 'X-Forwarded-For': '198.51.100.7' } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

let dir: string;
let publicKey: string;
let server: ServerProcess;
let nginx: RunningNginx;
let base: string;
let db: ParleyDb;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-nginx-example-'));
  const setup = openDatabase(join(dir, 'parley.db'));
  await migrate(setup);
  ({ publicKey } = await createAccountWithOwner(setup, {
    organization: 'Proxy Shop',
    region: 'DE',
    owner: {
      email: 'owner@proxy.test',
      name: 'Owner',
      passwordHash: await hashPassword('proxy test password'),
    },
  }));
  await closeDatabase(setup);
  server = await startServerProcess(dir, await freePort(), {
    timeoutMs: 60_000,
    env: { PARLEY_TRUST_PROXY: '1', PARLEY_DEMO: '0' },
  });
  const port = await freePort();
  const config = renderForTest(EXAMPLE, `127.0.0.1:${port}`, new URL(server.url).host);
  nginx = await startNginxWith((folder, runAsRoot) => nginxMain(folder, config, runAsRoot), [port]);
  base = nginx.urls[0]!;
  db = openStore(`file:${join(dir, 'parley.db')}`, { poolSize: 1 });
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  if (db) await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('deploy/nginx.conf', { timeout: 60_000 }, () => {
  it('is tested as written: every location block of the example is in the configuration nginx runs', () => {
    const tls = topLevel(EXAMPLE).find((part) => /^\s*listen 443 ssl;/m.test(part))!;
    const config = renderForTest(EXAMPLE, '127.0.0.1:1', '127.0.0.1:2');
    expect(locationsOf(tls).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'location /ws/',
      'location /',
    ]);
    for (const location of locationsOf(tls)) expect(config).toContain(location);
    expect(config).toContain('client_max_body_size 11m;');
  });

  it('passes /healthz through', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
  });

  it("carries a visitor's chat over the WebSocket: the message is acknowledged", async () => {
    const visitor = new TestSocket(`${base.replace(/^http/, 'ws')}/ws/visitor?account=${publicKey}`, {
      origin: SHOP,
    });
    await visitor.opened();
    visitor.send({ type: 'hello', persistent: true });
    await visitor.next('welcome');
    visitor.send({ type: 'send', key: 'through_nginx_1', text: 'Hello through nginx' });
    const ack = await visitor.next<{ key: string; id: string }>('ack', (f) => f.key === 'through_nginx_1');
    expect(ack.id).toMatch(/\S/);

    // A 2 MiB photo goes through nginx to the chat.
    visitor.send({ type: 'upload_token' });
    const grant = await visitor.next<{ token: string; path: string }>('upload_token');
    const photo = await sharp({
      create: {
        width: 840,
        height: 840,
        channels: 3,
        background: '#777',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(photo.length).toBeGreaterThan(2 * MIB);
    const upload = await fetch(`${base}${grant.path}`, {
      method: 'POST',
      headers: {
        origin: SHOP,
        authorization: `Bearer ${grant.token}`,
        'content-type': 'image/png',
        'x-parley-key': 'nginx_photo_1',
        'x-parley-name': 'noise.png',
      },
      body: photo,
    });
    expect(upload.status).toBe(201);

    // The largest body PARLEY_FILE_MAX_MIB allows reaches Parley (which answers it, here refusing the missing
    // token); one well over it is refused by nginx already.
    const post = (bytes: number) =>
      fetch(`${base}${grant.path}`, { method: 'POST', headers: { origin: SHOP }, body: Buffer.alloc(bytes) });
    const largest = await post(10 * MIB);
    expect(largest.status).toBe(401);
    expect(await largest.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await post(12 * MIB)).status).toBe(413);
    visitor.close();
  });

  it("logs the visitor's address from X-Forwarded-For, as nginx saw it, truncated (LOG-1)", async () => {
    expect(await getFromClientAddress(`${base}/.well-known/gpc.json`)).toBe(200);
    // The access log is written in batches, a fraction of a second apart.
    let lines: Array<{ ipTruncated: string | null }> = [];
    for (let tries = 0; tries < 200 && lines.length === 0; tries++) {
      lines = await readRows(db, 'accessLog', { route: '/.well-known/gpc.json' });
      if (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Not nginx's own address (127.0.0.1, which Parley's socket sees), nor the address the client forged.
    expect(lines.map((line) => line.ipTruncated)).toEqual(['127.9.9.0']);
  });

  it('does not reach the admin console or the metrics, which have a listener of their own', async () => {
    // The chat server has neither: what answers is its "not found" (or, where the site is not built, its 503).
    for (const path of ['/admin', '/admin/', '/metrics']) {
      const res = await fetch(`${base}${path}`);
      expect([404, 503], path).toContain(res.status);
      expect(await res.text(), path).not.toMatch(/# TYPE|<title>[^<]*admin/i);
    }
  });
});
