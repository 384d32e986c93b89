import { connect } from 'node:net';
import { FIXTURE, readRow, readRows, type Where } from '@parley/db/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer, TestSocket } from '../testing/test-app.ts';

const ACME = FIXTURE.accounts.acme;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/** A WebSocket handshake written by hand, so that tests can get it wrong or send frames along with it. */
function handshake(path: string, options: { method?: string; key?: string | null } = {}): string {
  const key = options.key === undefined ? 'dGhlIHNhbXBsZSBub25jZQ==' : options.key;
  return [
    `${options.method ?? 'GET'} ${path} HTTP/1.1`,
    'Host: localhost',
    'Upgrade: websocket',
    'Connection: Upgrade',
    ...(key === null ? [] : [`Sec-WebSocket-Key: ${key}`]),
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/** A client's text frame (clients must mask theirs), for payloads under 126 bytes. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** The server's text frames in what it has sent after its handshake response. */
function serverTexts(data: Buffer): string[] {
  const texts: string[] = [];
  let at = data.indexOf('\r\n\r\n') + 4;
  while (at + 2 <= data.length) {
    let length = data[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = data.readUInt16BE(at + 2);
      start += 2;
    }
    if (start + length > data.length) break;
    if ((data[at]! & 0x0f) === 0x1) texts.push(data.subarray(start, start + length).toString());
    at = start + length;
  }
  return texts;
}

/** Writes `bytes` on a new connection and collects what comes back until `done` says so or the server hangs up. */
function exchange(
  bytes: Buffer | string,
  done: (received: Buffer) => boolean = () => false,
): Promise<Buffer> {
  const { hostname, port } = new URL(server.running.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (done(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const statusLine = (response: Buffer): string => response.toString().split('\r\n')[0]!;

/** Access-log lines of this test's own connections (the fixture's lines have other addresses). */
async function accessLogRows(where: Where<'accessLog'>) {
  await server.parley.services.accessLog.flush();
  return readRows(server.db, 'accessLog', { ipTruncated: '127.0.0.0', ...where });
}

describe('WebSocket upgrades', () => {
  it('answers an upgrade on a path without a socket route with 404, and hangs up', async () => {
    const response = await exchange(handshake('/ws/nowhere?token=secret'));
    expect(statusLine(response)).toBe('HTTP/1.1 404 Not Found');
    const [row] = await accessLogRows({ route: '*' });
    expect(row).toMatchObject({ method: 'GET', status: 404 });
    expect(JSON.stringify(row)).not.toContain('secret');
  });

  it.each([
    ['is not a GET', handshake(`/ws/visitor?account=${ACME.publicKey}`, { method: 'POST' })],
    ['has no Sec-WebSocket-Key', handshake(`/ws/visitor?account=${ACME.publicKey}`, { key: null })],
  ])('answers a handshake that %s with 400', async (_title, request) => {
    const response = await exchange(request);
    expect(statusLine(response)).toBe('HTTP/1.1 400 Bad Request');
    expect(await accessLogRows({ route: '/ws/visitor', status: 400 })).toHaveLength(1);
  });

  it('answers a request that asks to upgrade to another protocol (h2c) as the plain request it is', async () => {
    const request = [
      'GET /healthz HTTP/1.1',
      'Host: localhost',
      'Connection: Upgrade, HTTP2-Settings',
      'Upgrade: h2c',
      'HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA',
      '',
      '',
    ].join('\r\n');
    const response = (await exchange(request)).toString();
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(response).toContain('{"status":"ok"}');
    const post = await exchange(
      request
        .replace('GET /healthz', 'POST /app/api/sign-in')
        .replace('\r\n\r\n', '\r\nContent-Length: 2\r\n\r\n{}'),
    );
    expect(statusLine(post)).toBe('HTTP/1.1 400 Bad Request');
  });

  it('answers a plain request to a socket address with upgrade_required, through the app', async () => {
    const response = await fetch(`${server.running.url}/ws/visitor?account=${ACME.publicKey}`);
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ error: { code: 'upgrade_required' } });
  });

  it('upgrades a visitor socket for an unknown account, then closes it with 1008', async () => {
    const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=pk_nobody_000000000000000`);
    await socket.opened();
    expect(await socket.closed).toEqual({ code: CLOSE_CODES.policy, reason: 'unknown account' });
  });

  it('handles frames sent the moment the socket opens', async () => {
    const ws = new WebSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
    const types: string[] = [];
    const answered = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        types.push((JSON.parse(String(data)) as { type: string }).type);
        if (types.length === 2) resolve();
      }),
    );
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'hello', persistent: false }));
      ws.send(JSON.stringify({ type: 'ping' }));
    });
    await answered;
    expect(types).toEqual(['welcome', 'pong']);
    ws.close();
  });

  it('handles frames that arrive with the handshake, before the route has looked up the account', async () => {
    const request = Buffer.concat([
      Buffer.from(handshake(`/ws/visitor?account=${ACME.publicKey}`)),
      maskedTextFrame(JSON.stringify({ type: 'hello', persistent: false })),
      maskedTextFrame(JSON.stringify({ type: 'ping' })),
    ]);
    const response = await exchange(request, (received) => serverTexts(received).length === 2);
    expect(statusLine(response)).toBe('HTTP/1.1 101 Switching Protocols');
    const types = serverTexts(response).map((text) => (JSON.parse(text) as { type: string }).type);
    expect(types).toEqual(['welcome', 'pong']);
  });

  it('LOG-1: logs a visitor handshake as a 101 once the socket closes, linked to the visitor', async () => {
    const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`, {
      'user-agent': FIREFOX,
      'accept-language': 'de-AT,de;q=0.9',
    });
    socket.send({ type: 'hello', persistent: true });
    await socket.next('welcome');
    socket.send({ type: 'send', key: 'key_logged_handshake', text: 'hello there' });
    await socket.next('ack');
    expect(await accessLogRows({ route: '/ws/visitor' })).toEqual([]);

    // Shutting down closes every socket and then writes the log.
    await server.close();
    expect((await socket.closed).code).toBe(CLOSE_CODES.goingAway);
    const { visitorId } = await readRow(server.db, 'messages', { clientKey: 'key_logged_handshake' });
    expect(await accessLogRows({ route: '/ws/visitor' })).toEqual([
      expect.objectContaining({
        method: 'GET',
        status: 101,
        browser: 'Firefox 132',
        language: 'de-AT',
        visitorId,
      }),
    ]);
  });
});
