import { connect } from 'node:net';
import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import { AgentFrame, CLOSE_CODES, LIMITS, parseFrame, VisitorFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, TestSocket } from '../../src/testing/test-app.ts';
import {
  type HostileBody,
  hostileBody,
  hostileFrame,
  type Payload,
  picker,
  seededRandom,
} from './hostile-corpus.ts';

// Thousands of malformed, oversized and hostile frames and bodies, from a fixed seed: the server must answer each
// with a clear error (an error frame, a close code the WebSocket standard names, or a 4xx JSON body), never crash
// and never answer 5xx, and a normal conversation must work afterwards.

const SEED = 0x5eed2026;
const FRAMES = 3000;
const BODIES = 600;
/** Frames per socket, with hello and a closing ping: under `LIMITS.burstFrames`, so the rate limit stays out of it. */
const PER_SOCKET = 30;
const CONCURRENCY = 8;
/** The dashboard API's body limit. */
const BODY_LIMIT = 64 * 1024;

let server: TestServer;
let owner: { cookie: string; csrfToken: string };
const acme = FIXTURE.accounts.acme;

async function signInOwner(): Promise<{ cookie: string; csrfToken: string }> {
  const res = await server.request('/app/api/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.running.url },
    body: JSON.stringify({ email: FIXTURE.agents.acmeOwner.email, password: FIXTURE_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrfToken };
}

const visitorUrl = () => `${server.wsUrl}/ws/visitor?account=${acme.publicKey}`;
const agentHeaders = () => ({ origin: server.running.url, cookie: owner.cookie });

function sendRaw(socket: TestSocket, payload: Payload): void {
  if (payload.kind === 'binary') socket.ws.send(payload.data, { binary: true });
  else if (payload.kind === 'bad-utf8') socket.ws.send(payload.data, { binary: false });
  else socket.ws.send(payload.data);
}

/**
 * One request on its own connection, read to the end. Bodies far over the limit go this way: the server answers
 * 413 without reading them and closes, and a pooled client still writing would see the close, not the answer
 * (honojs/node-server#327).
 */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const { hostname, port } = new URL(server.running.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const map = new Map(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers: map, body: rest.join('\r\n\r\n') });
    });
    const lines = Object.entries({
      ...headers,
      host: `${hostname}:${port}`,
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    });
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    socket.write(body);
  });
}

async function inParallel<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** The corpus: every payload is refused by the transport or by the protocol's own schema. */
function buildFrames(): Array<{ side: 'visitor' | 'agent'; payload: Payload }> {
  const p = picker(seededRandom(SEED));
  const out: Array<{ side: 'visitor' | 'agent'; payload: Payload }> = [];
  while (out.length < FRAMES) {
    const side = out.length % 3 === 0 ? 'agent' : 'visitor';
    const payload = hostileFrame(p, side);
    if (
      payload.kind === 'text' &&
      Buffer.byteLength(payload.data) <= LIMITS.maxFrameBytes &&
      parseFrame<unknown>(side === 'visitor' ? VisitorFrame : AgentFrame, payload.data).ok
    )
      continue;
    out.push({ side, payload });
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await signInOwner();
});

afterAll(async () => {
  await server.close();
});

describe('hostile input', () => {
  it(`answers ${FRAMES} hostile WebSocket frames with errors and keeps chatting`, {
    timeout: 25_000,
  }, async () => {
    const frames = buildFrames();
    // A witness agent stays connected throughout and must still be served at the end.
    const witness = new TestSocket(`${server.wsUrl}/ws/agent`, agentHeaders());
    await witness.opened();
    await witness.next('snapshot');

    const streamed = frames.filter((f) => f.payload.kind !== 'bad-utf8');
    const chunks: Array<typeof streamed> = [];
    for (const side of ['visitor', 'agent'] as const) {
      const mine = streamed.filter((f) => f.side === side);
      for (let i = 0; i < mine.length; i += PER_SOCKET) chunks.push(mine.slice(i, i + PER_SOCKET));
    }
    const errorCodes = new Map<string, number>();
    await inParallel(chunks, async (chunk) => {
      const side = chunk[0]!.side;
      const socket =
        side === 'visitor'
          ? new TestSocket(visitorUrl())
          : new TestSocket(`${server.wsUrl}/ws/agent`, agentHeaders());
      await socket.opened();
      if (side === 'visitor') {
        socket.send({ type: 'hello', persistent: false });
        await socket.next('welcome');
      } else await socket.next('snapshot');
      for (const { payload } of chunk) sendRaw(socket, payload);
      socket.send({ type: 'ping' });
      await socket.next('pong');
      const errors = socket.frames.filter((f) => f.type === 'error');
      for (const e of errors) errorCodes.set(String(e.code), (errorCodes.get(String(e.code)) ?? 0) + 1);
      expect(errors, chunk.map((f) => f.payload.label).join(', ')).toHaveLength(chunk.length);
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      socket.close();
    });
    expect(errorCodes.get('internal')).toBeUndefined();
    expect([...errorCodes.keys()].sort()).toEqual(['frame_too_large', 'invalid_frame']);

    // Text frames that are not UTF-8 end the connection at the WebSocket layer, with the standard code.
    const badUtf8 = frames.filter((f) => f.payload.kind === 'bad-utf8');
    expect(badUtf8.length).toBeGreaterThan(50);
    await inParallel(badUtf8, async ({ side, payload }) => {
      const socket =
        side === 'visitor'
          ? new TestSocket(visitorUrl())
          : new TestSocket(`${server.wsUrl}/ws/agent`, agentHeaders());
      await socket.opened();
      sendRaw(socket, payload);
      expect((await socket.closed).code).toBe(1007);
    });

    // Far beyond the frame limit, the WebSocket layer refuses the frame (1009) instead of reading it.
    for (const size of [4 * LIMITS.maxFrameBytes + 1, 1024 * 1024, 8 * 1024 * 1024]) {
      const socket = new TestSocket(visitorUrl());
      await socket.opened();
      socket.send(JSON.stringify({ type: 'send', key: 'abcdefgh', text: 'z'.repeat(size) }));
      expect((await socket.closed).code).toBe(CLOSE_CODES.tooLarge);
    }

    // Nothing leaked onto shared prototypes in this process, which is the server's process too.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();

    // Valid frames carrying hostile keys or characters are served as what they are: plain data.
    const visitor = new TestSocket(visitorUrl());
    await visitor.opened();
    visitor.send({ type: 'hello', persistent: false });
    await visitor.next('welcome');
    visitor.send(
      '{"type":"send","key":"pollute_0001","text":"first","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    await visitor.next('ack', (f) => f.key === 'pollute_0001');
    const control = 'a\u0000b\u001bc\u2028d';
    visitor.send({ type: 'send', key: 'control_0001', text: control });
    await visitor.next('ack', (f) => f.key === 'control_0001');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // And a normal conversation carries on: the witness agent gets the visitor's message and answers.
    const arrived = await witness.next<{ message: { conversationId: string; text: string } }>(
      'message',
      (f) => (f.message as { text?: string }).text === control,
    );
    witness.send({
      type: 'send',
      key: 'reply_00001',
      conversationId: arrived.message.conversationId,
      text: 'Hello!',
    });
    await witness.next('ack', (f) => f.key === 'reply_00001');
    await visitor.next('message', (f) => (f.message as { text?: string }).text === 'Hello!');
    visitor.close();
    witness.close();
  });

  it(`answers ${BODIES} hostile JSON bodies with 4xx JSON errors, never 5xx`, {
    timeout: 25_000,
  }, async () => {
    const p = picker(seededRandom(SEED + 1));
    const routes = [
      {
        method: 'POST',
        path: '/app/api/sign-in',
        valid: { email: 'nobody@example.org', password: 'not the password' },
        auth: false,
      },
      {
        method: 'PATCH',
        path: '/app/api/account',
        valid: { organization: 'Acme', preChatForm: true },
        auth: true,
      },
      {
        method: 'POST',
        path: '/app/api/invitations',
        valid: { email: 'new@example.org', name: 'New' },
        auth: true,
      },
      {
        method: 'POST',
        path: '/app/api/websites',
        valid: {
          name: 'Shop',
          origins: ['https://shop.example.org'],
          color: '#2a5d9f',
          position: 'right',
          launcherLabel: null,
          greeting: 'Hello',
          agentDisplay: 'name',
          languages: ['en'],
          preChat: { name: 'off', email: 'required' },
          hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:00' } } },
          transcripts: true,
          ratings: true,
        },
        auth: true,
      },
      {
        method: 'POST',
        path: `/app/api/invitations/${'t'.repeat(40)}/accept`,
        valid: { password: 'long enough password' },
        auth: false,
      },
    ];
    const cases: Array<{ route: (typeof routes)[number]; body: HostileBody }> = [];
    for (let i = 0; i < BODIES; i++) {
      const route = routes[i % routes.length]!;
      cases.push({ route, body: hostileBody(p, route.valid) });
    }
    const statuses = new Map<number, number>();
    await inParallel(cases, async ({ route, body }) => {
      const headers: Record<string, string> = { origin: server.running.url };
      if (body.contentType) headers['content-type'] = body.contentType;
      if (route.auth) Object.assign(headers, { cookie: owner.cookie, 'x-parley-csrf': owner.csrfToken });
      if (Buffer.byteLength(body.body) > BODY_LIMIT) {
        const res = await rawRequest(route.method, route.path, headers, body.body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, body.label).toBe(413);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'payload_too_large' } });
        return;
      }
      const res = await server.request(route.path, {
        method: route.method,
        headers,
        body: body.body as BodyInit,
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const what = `${route.method} ${route.path} with ${body.label}: ${res.status}`;
      expect(res.status, what).toBeLessThan(500);
      if (body.label === 'wrong content type') expect(res.status, what).toBe(415);
      if (['not JSON', 'not an object', 'deep nesting'].includes(body.label))
        expect(res.status, what).toBeGreaterThanOrEqual(400);
      if (res.status >= 400) {
        expect(res.headers.get('content-type'), what).toMatch(/^application\/json/);
        const json = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
        expect(typeof json.error?.code, what).toBe('string');
        expect(typeof json.error?.message, what).toBe('string');
      } else await res.arrayBuffer();
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(statuses.get(500)).toBeUndefined();

    // The API still works for a well-formed request.
    const me = await server.request('/app/api/me', { headers: { cookie: owner.cookie } });
    expect(me.status).toBe(200);
  });
});
