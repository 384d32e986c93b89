import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.ts';

describe('SEC-1: security headers', () => {
  it.each(['/healthz', '/app/api/me', '/privacy', '/demo'])('SEC-1: %s gets the full set', async (path) => {
    const app = await createTestApp();
    const response = await app.request(path, { headers: { host: 'chat.example.test' } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self' ws://chat.example.test wss://chat.example.test");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('permissions-policy')).toContain('camera=()');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it("SEC-1: pages cannot be framed, except the demo page by Parley's own pages", async () => {
    const app = await createTestApp();
    const page = await app.request('/privacy');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const demo = await app.request('/demo');
    expect(demo.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(demo.headers.get('x-frame-options')).toBeNull();
  });

  it("SEC-1: only the widget's files may be loaded by other sites", async () => {
    const app = await createTestApp();
    expect((await app.request('/widget.js')).headers.get('cross-origin-resource-policy')).toBe(
      'cross-origin',
    );
    expect((await app.request('/widget/chat.js')).headers.get('cross-origin-resource-policy')).toBe(
      'cross-origin',
    );
    expect((await app.request('/healthz')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect((await app.request('/app/api/me')).headers.get('cross-origin-resource-policy')).toBe(
      'same-origin',
    );
  });

  it('SEC-1: sends HSTS when the public URL is https', async () => {
    const app = await createTestApp({ config: { publicUrl: 'https://chat.example.test' } });
    const response = await app.request('/healthz');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('content-security-policy')).toContain('wss://chat.example.test');
    const plain = await createTestApp();
    expect((await plain.request('/healthz')).headers.get('strict-transport-security')).toBeNull();
  });

  it('SEC-1: a hostile Host header does not reach the policy', async () => {
    const app = await createTestApp();
    const response = await app.request('/healthz', {
      headers: { host: "evil.test; script-src 'unsafe-inline'" },
    });
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });
});
