import type { ParleyDb } from '@parley/db';
import { readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.ts';
import { browserFromUserAgent, firstLanguage, truncateIp } from './access-log.ts';

describe('LOG-1: IP addresses are truncated before they are written', () => {
  it.each([
    ['IPv4 keeps its /24', '203.0.113.7', '203.0.113.0'],
    ['IPv4 already at a network boundary', '198.51.100.0', '198.51.100.0'],
    ['IPv4 loopback', '127.0.0.1', '127.0.0.0'],
    ['IPv4 with surrounding space', ' 192.0.2.255 ', '192.0.2.0'],
    ['IPv6 keeps its /48', '2001:db8:1:2:3:4:5:6', '2001:db8:1::'],
    ['IPv6 compressed', '2001:db8:1:2::5', '2001:db8:1::'],
    ['IPv6 with leading zeros', '2001:0db8:0001:abcd::1', '2001:db8:1::'],
    ['IPv6 whose third group is zero', '2001:db8::1', '2001:db8::'],
    ['IPv6 upper case', '2001:DB8:A:B::1', '2001:db8:a::'],
    ['IPv6 loopback', '::1', '::'],
    ['IPv6 with a zone', 'fe80::1%eth0', 'fe80::'],
    ['IPv6 in brackets', '[2001:db8:1::9]', '2001:db8:1::'],
    ['IPv4-mapped IPv6, dotted', '::ffff:203.0.113.7', '203.0.113.0'],
    ['IPv4-mapped IPv6, upper case', '::FFFF:198.51.100.77', '198.51.100.0'],
    ['IPv4-mapped IPv6, in hex', '::ffff:cb00:7107', '203.0.113.0'],
    ['IPv4-embedded IPv6 that is not mapped', '64:ff9b::203.0.113.7', '64:ff9b::'],
  ])('LOG-1: %s (%s → %s)', (_title, input, expected) => {
    expect(truncateIp(input)).toBe(expected);
  });

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
    ['an IPv4 octet above 255', '203.0.113.256'],
    ['too few IPv4 octets', '203.0.113'],
    ['two double colons', '2001::db8::1'],
    ['too many IPv6 groups', '1:2:3:4:5:6:7:8:9'],
    ['a host name', 'example.org'],
    ['something hostile', '203.0.113.7; DROP TABLE access_log'],
  ])('LOG-1: gives null for %s, so nothing unexpected is written', (_title, input) => {
    expect(truncateIp(input)).toBeNull();
  });
});

describe('LOG-1: browser type and language, not the full User-Agent', () => {
  it.each([
    ['Firefox', 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', 'Firefox 132'],
    [
      'Chrome',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
      'Chrome 141',
    ],
    [
      'Edge',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0',
      'Edge 141',
    ],
    [
      'Safari',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      'Safari 18',
    ],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      'Safari 18',
    ],
    [
      'Chrome on iOS',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
      'Chrome 131',
    ],
    [
      'Samsung Internet',
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
      'Samsung Internet 26',
    ],
    ['curl', 'curl/8.5.0', 'curl 8'],
    ['a crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Bot'],
    ['anything else', 'SomeClient/1.0', 'Other'],
  ])('LOG-1: %s', (_title, userAgent, expected) => {
    expect(browserFromUserAgent(userAgent)).toBe(expected);
  });

  it.each([
    ['de-AT,de;q=0.9,en;q=0.8', 'de-AT'],
    ['en', 'en'],
    [' fr-CH ; q=1', 'fr-CH'],
    ['*', null],
    ['<script>', null],
    ['', null],
    [undefined, null],
  ])('LOG-1: the first language of %j is %j', (header, expected) => {
    expect(firstLanguage(header)).toBe(expected);
  });
});

describe('LOG-1: the access log middleware', () => {
  const lastRow = async (db: ParleyDb) => {
    const [row] = await readRows(db, 'accessLog', {}, { orderBy: 'id', descending: true, limit: 1 });
    return row!;
  };

  it('LOG-1: writes the truncated IP, browser and language, without the query string or any cookie value', async () => {
    const app = await createTestApp();
    const response = await app.parley.app.request(
      '/healthz?email=someone%40example.org&token=secret-token',
      {
        headers: {
          cookie: 'parley_session=v1.secret-cookie-value; other=also-secret',
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
          'accept-language': 'de-AT,de;q=0.9',
        },
      },
      { incoming: { socket: { remoteAddress: '::ffff:203.0.113.77' } } },
    );
    expect(response.status).toBe(200);
    await app.parley.services.accessLog.flush();
    const row = await lastRow(app.db);
    expect(row).toMatchObject({
      method: 'GET',
      route: '/healthz',
      status: 200,
      ipTruncated: '203.0.113.0',
      browser: 'Firefox 132',
      language: 'de-AT',
      visitorId: null,
    });
    const written = JSON.stringify(row);
    for (const secret of ['secret-cookie-value', 'also-secret', 'secret-token', 'someone', '203.0.113.77'])
      expect(written).not.toContain(secret);
  });

  it.each([
    ['Sec-GPC: 1', { 'sec-gpc': '1' }],
    ['DNT: 1', { dnt: '1' }],
  ])('SIG-1: a request with %s is logged without its browser or language', async (_name, signal) => {
    const app = await createTestApp();
    await app.parley.app.request(
      '/healthz',
      {
        headers: {
          ...signal,
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
          'accept-language': 'de-AT,de;q=0.9',
        },
      },
      { incoming: { socket: { remoteAddress: '203.0.113.77' } } },
    );
    await app.parley.services.accessLog.flush();
    expect(await lastRow(app.db)).toMatchObject({
      route: '/healthz',
      ipTruncated: '203.0.113.0',
      browser: null,
      language: null,
    });
  });

  it('LOG-1: logs the route pattern, not a secret in the path (an invitation token)', async () => {
    const app = await createTestApp();
    const token = 'A'.repeat(43);
    await app.request(`/app/api/invitations/${token}`);
    await app.parley.services.accessLog.flush();
    const row = await lastRow(app.db);
    expect(row.route).toBe('/app/api/invitations/:token');
    expect(row.status).toBe(404);
  });

  it('LOG-1: takes the last X-Forwarded-For hop only behind a trusted proxy', async () => {
    const trusting = await createTestApp({ config: { trustProxy: true } });
    await trusting.parley.app.request(
      '/healthz',
      { headers: { 'x-forwarded-for': '198.51.100.1, 2001:db8:abcd:12::1' } },
      { incoming: { socket: { remoteAddress: '10.0.0.2' } } },
    );
    await trusting.parley.services.accessLog.flush();
    expect((await lastRow(trusting.db)).ipTruncated).toBe('2001:db8:abcd::');

    const direct = await createTestApp();
    await direct.parley.app.request(
      '/healthz',
      { headers: { 'x-forwarded-for': '198.51.100.1' } },
      { incoming: { socket: { remoteAddress: '10.0.0.2' } } },
    );
    await direct.parley.services.accessLog.flush();
    expect((await lastRow(direct.db)).ipTruncated).toBe('10.0.0.0');
  });
});
