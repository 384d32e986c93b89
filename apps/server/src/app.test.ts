import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import { createTestDatabase } from '@parley/db/testing';
import { openLiveState } from '@parley/live';
import { testRedisPrefix, testRedisUrl } from '@parley/live/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from './testing/test-app.ts';

const temp = mkdtempSync(join(tmpdir(), 'parley-assets-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const root = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const widget = folder('widget', { 'widget.js': 'console.log("launcher")', 'chat.js': 'console.log("chat")' });
const dashboard = folder('dashboard', {
  'index.html': '<!doctype html><title>Dashboard</title>',
  'app.js': '1',
});
/** A stand-in for the site's build: its files, and an entry that renders a page per address as the real one does. */
const site = folder('site', {
  'client/_astro/site.abc123.css': 'body{}',
  'server/entry.mjs': `
const TITLES = { '/': 'Home', '/privacy': 'Privacy', '/privacy/': 'Privacy', '/cookies': 'Cookies' };
export function render(request, locals) {
  globalThis.parleySiteRenders = (globalThis.parleySiteRenders ?? 0) + 1;
  const title = TITLES[new URL(request.url).pathname];
  const operator = locals.policy.versions.at(-1).content.controller.name;
  return new Response(\`<!doctype html><title>\${title ?? 'Not found'}</title><p>\${operator}</p>\`, {
    status: title ? 200 : 404,
    headers: { 'content-type': 'text/html' },
  });
}
`,
});
folder('secret', { 'passwd.txt': 'root' });

describe('the server', () => {
  it('answers /healthz', async () => {
    const app = await createTestApp();
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 while the store and the live state answer', async () => {
    const app = await createTestApp();
    const response = await app.request('/readyz');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('answers /readyz with 503 naming the store when the store does not answer', async () => {
    const db = await createTestDatabase();
    const app = await createTestApp({ db });
    await closeDatabase(db);
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', failing: ['store'] });
  });

  it('answers /readyz with 503 naming the live state when its Redis does not answer', async () => {
    const live = await openLiveState({
      redisUrl: testRedisUrl(),
      prefix: `${testRedisPrefix()}readyz:`,
      onError: () => {},
    });
    await live.ping();
    const app = await createTestApp({ live });
    expect((await app.request('/readyz')).status).toBe(200);
    await live.close();
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', failing: ['live state'] });
  });

  it("SIG-1: says at /.well-known/gpc.json that it honours Global Privacy Control, dated with the policy's version", async () => {
    const app = await createTestApp();
    const response = await app.request('/.well-known/gpc.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { gpc: boolean; lastUpdate: string };
    expect(body.gpc).toBe(true);
    expect(body.lastUpdate).toBe(app.parley.services.policyVersion.date);
    expect(body.lastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a plain GET on the socket addresses', async () => {
    const app = await createTestApp();
    const response = await app.request('/ws/visitor?account=pk_acme_0000000000000000');
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ error: { code: 'upgrade_required' } });
  });

  it('answers unknown API routes with the JSON error format', async () => {
    const app = await createTestApp();
    for (const path of ['/app/api/nothing-here', '/api/v2/conversations']) {
      const response = await app.request(path, {
        headers: { authorization: 'Bearer sk_acme_test_key_000000000000' },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});

describe('the front ends', () => {
  const app = () => createTestApp({ assets: { widget, dashboard, site } });

  it('serves the widget at /widget.js and /widget/*, cacheable for a few minutes', async () => {
    const a = await app();
    const launcher = await a.request('/widget.js');
    expect(launcher.status).toBe(200);
    expect(launcher.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(launcher.headers.get('cache-control')).toContain('max-age=300');
    expect(await launcher.text()).toContain('launcher');
    const chat = await a.request('/widget/chat.js');
    expect(await chat.text()).toContain('chat');
    expect((await a.request('/widget/missing.js')).status).toBe(404);
  });

  it('answers 304 when the file has not changed', async () => {
    const a = await app();
    const first = await a.request('/widget.js');
    const etag = first.headers.get('etag')!;
    const again = await a.request('/widget.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves the dashboard at /app and /app/', async () => {
    const a = await app();
    for (const path of ['/app', '/app/']) {
      const response = await a.request(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Dashboard</title>');
    }
    expect(await (await a.request('/app/app.js')).text()).toBe('1');
  });

  it.each([
    ['/', 'Home'],
    ['/privacy', 'Privacy'],
    ['/privacy/', 'Privacy'],
    ['/cookies', 'Cookies'],
  ])('serves the public site: %s', async (path, title) => {
    const response = await (await app()).request(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<title>${title}</title>`);
  });

  it('renders a page of the public site once while the version in force stays the same', async () => {
    const a = await app();
    const renders = () => (globalThis as { parleySiteRenders?: number }).parleySiteRenders ?? 0;
    const before = renders();
    const first = await a.request('/cookies');
    const again = await a.request('/cookies', { headers: { 'accept-encoding': 'gzip' } });
    expect(await first.text()).toContain('<title>Cookies</title>');
    expect(again.headers.get('content-encoding')).toBe('gzip');
    expect(renders() - before).toBe(1);
    const unchanged = await a.request('/cookies', {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    expect(unchanged.status).toBe(304);
  });

  it('serves the public site’s fingerprinted assets as immutable', async () => {
    const response = await (await app()).request('/_astro/site.abc123.css');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it.each(['/nothing', '/../secret/passwd.txt', '/%2e%2e/secret/passwd.txt', '/..%2fsecret%2fpasswd.txt'])(
    'answers 404 for %s, and never leaves the build folder',
    async (path) => {
      const response = await (await app()).request(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('root');
    },
  );

  it('says which build is missing instead of failing', async () => {
    const a = await createTestApp();
    const response = await a.request('/app');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('@parley/dashboard');
    expect((await a.request('/widget.js')).status).toBe(503);
    expect((await a.request('/')).status).toBe(503);
  });
});

describe('the demo page', () => {
  async function withDemoAccount() {
    const a = await createTestApp();
    const { publicKey } = await createAccountWithOwner(a.db, {
      organization: 'Demo Shop',
      region: 'DE',
      publicKey: `${DEMO_PUBLIC_KEY_PREFIX}test000000000000`,
      owner: { email: 'demo-owner@example.com', name: 'Demo', passwordHash: 'x' },
    });
    return { a, publicKey };
  }

  it('embeds the widget for the demo account, in English and in German', async () => {
    const { a, publicKey } = await withDemoAccount();
    const english = await (await a.request('/demo')).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain(`<script src="/widget.js" data-account="${publicKey}" async></script>`);
    expect(english).not.toMatch(/<script>|<style>| style=/);
    const german = await (await a.request('/demo?lang=de')).text();
    expect(german).toContain('<html lang="de">');
    expect(german).toContain(`data-account="${publicKey}"`);
  });

  it.each([
    [{ 'Sec-GPC': '1' }, ' data-gpc="1"'],
    [{ DNT: '1' }, ' data-dnt="1"'],
    [{ 'Sec-GPC': '1', DNT: '1' }, ' data-gpc="1" data-dnt="1"'],
    [{ 'Sec-GPC': '0' }, ''],
  ])(
    'SIG-1: passes on to the widget the signals its own request carried (%j)',
    async (headers, attributes) => {
      const { a, publicKey } = await withDemoAccount();
      const response = await a.request('/demo', { headers });
      expect(response.headers.get('vary')).toMatch(/Sec-GPC, DNT/);
      expect(await response.text()).toContain(
        `<script src="/widget.js" data-account="${publicKey}"${attributes} async></script>`,
      );
    },
  );

  it('shows no widget when the installation has no demo account', async () => {
    const text = await (await (await createTestApp()).request('/demo')).text();
    expect(text).not.toContain('<script');
  });
});
