import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { safeJoin, serveFile } from './static-files.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-static-'));
const script = `console.log(${JSON.stringify('chat '.repeat(2000))});`;
writeFileSync(join(root, 'chat.js'), script);
writeFileSync(join(root, 'logo.png'), Buffer.from([137, 80, 78, 71]));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const app = new Hono();
app.get('/*', async (c) => (await serveFile(c, root, [c.req.path.slice(1)], 'short')) ?? c.text('no', 404));

describe('serving built files', () => {
  it('gzips text for a client that accepts it, and says so', async () => {
    const response = await app.request('/chat.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBeLessThan(script.length / 10);
    expect(gunzipSync(body).toString()).toBe(script);
  });

  it('sends the file as it is to a client that does not accept gzip, with its own ETag', async () => {
    const plain = await app.request('/chat.js');
    const zipped = await app.request('/chat.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    expect(plain.headers.get('etag')).not.toBe(zipped.headers.get('etag'));
    expect(
      (await app.request('/chat.js', { headers: { 'accept-encoding': 'gzip;q=0' } })).headers.get(
        'content-encoding',
      ),
    ).toBeNull();
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await app.request('/chat.js', { headers: { 'accept-encoding': 'gzip' } });
    const again = await app.request('/chat.js', {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('does not gzip images', async () => {
    const response = await app.request('/logo.png', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBeNull();
  });

  it.each(['../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00chat.js', '..\\\\chat.js'])(
    'refuses to leave its folder: %s',
    (path) => {
      expect(safeJoin(root, path)).toBeNull();
    },
  );
});
