import { FIXTURE, insertRows, readRow, readRows } from '@parley/db/testing';
import { InMemoryWindowCounter, RedisWindowCounter, type WindowCounter } from '@parley/live';
import { ManualClock, redisForTestFile } from '@parley/live/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  inProcessClient,
  type SignedIn,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';

const ACME = FIXTURE.accounts.acme;
const GLOBEX = FIXTURE.accounts.globex;
const BEN = FIXTURE.visitors.ben;
const DAY = 86_400_000;
const MINUTE = 60_000;
const { redis, prefix } = redisForTestFile();

let server: TestServer;
let clock: ManualClock;
afterEach(async () => {
  await server.close();
});

async function start(options: { perMinute?: number; windows?: (clock: ManualClock) => WindowCounter } = {}) {
  clock = new ManualClock();
  server = await startTestServer({
    clock,
    ...(options.perMinute ? { config: { newConversationsPerMinute: options.perMinute } } : {}),
    ...(options.windows ? { windows: options.windows(clock) } : {}),
  });
}

/** A visitor's socket that has sent its hello. */
function visitor(options: { chatId?: string; account?: string } = {}): TestSocket {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${options.account ?? ACME.publicKey}`);
  socket.send({ type: 'hello', persistent: true, ...(options.chatId ? { chatId: options.chatId } : {}) });
  return socket;
}

const owner = () => signIn(inProcessClient(server), FIXTURE.agents.acmeOwner.email);

const block = (session: SignedIn, conversationId: string, body: unknown) =>
  inProcessClient(server).request(`/app/api/conversations/${conversationId}/block`, {
    method: 'POST',
    headers: writeHeaders(session),
    body: JSON.stringify(body),
  });

const REFUSED = { code: CLOSE_CODES.blocked, reason: 'chat is not available' };

describe('SEC-1: blocking an unwanted visitor', () => {
  it('closes their open socket at once, ends their chat, and refuses them at the next hello', async () => {
    await start();
    const ben = visitor({ chatId: BEN.chatId });
    await ben.next('welcome');
    const session = await owner();
    const response = await block(session, FIXTURE.conversations.benActive, { days: 7, reason: 'Spam links' });
    expect(response.status).toBe(201);
    const { block: made } = (await response.json()) as { block: { id: string; network: string } };
    // Ben's last logged network, from the access log.
    expect(made.network).toBe('2001:db8:1::/48');
    expect(await ben.closed).toEqual(REFUSED);
    expect(await readRow(server.db, 'conversations', { id: FIXTURE.conversations.benActive })).toMatchObject({
      status: 'closed',
    });
    expect(await readRows(server.db, 'auditLog', { action: 'visitor.blocked' })).toHaveLength(1);

    // Reloading the page does not help: the chat id is known and refused before anything is sent.
    const again = visitor({ chatId: BEN.chatId });
    expect(await again.closed).toEqual(REFUSED);
    expect(again.frames).toEqual([]);
    // Someone else on the site still chats.
    await visitor().next('welcome');

    // The block ends by itself after its period.
    clock.advance(7 * DAY);
    await visitor({ chatId: BEN.chatId }).next('welcome');
  });

  it('refuses any chat id from a blocked network, for that account alone', async () => {
    await start();
    const now = clock.now();
    await insertRows(server.db, 'visitorBlocks', [
      { id: 'blk_local', accountId: ACME.id, network: '127.0.0.0/24', createdAt: now, expiresAt: now + DAY },
    ]);
    expect(await visitor().closed).toEqual(REFUSED);
    await visitor({ account: GLOBEX.publicKey }).next('welcome');
  });

  it('allows only the periods the policy declares; owners list blocks and lift one early, agents cannot', async () => {
    await start();
    const session = await owner();
    const app = inProcessClient(server);
    expect(
      await (await app.request('/app/api/block-periods', { headers: { cookie: session.cookie } })).json(),
    ).toEqual({ days: [1, 7, 30] });
    expect((await block(session, FIXTURE.conversations.benActive, { days: 31 })).status).toBe(422);
    expect((await block(session, 'cnv_nothing', { days: 1 })).status).toBe(404);
    expect((await block(session, FIXTURE.conversations.benActive, { days: 1 })).status).toBe(201);

    const listed = (await (
      await app.request('/app/api/blocks', { headers: { cookie: session.cookie } })
    ).json()) as {
      blocks: Array<{ id: string; visitorId: string }>;
    };
    expect(listed.blocks).toEqual([expect.objectContaining({ visitorId: BEN.id })]);
    const id = listed.blocks[0]!.id;

    const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
    expect((await app.request('/app/api/blocks', { headers: { cookie: adam.cookie } })).status).toBe(403);
    const lift = () =>
      app.request(`/app/api/blocks/${id}`, { method: 'DELETE', headers: writeHeaders(session) });
    expect((await lift()).status).toBe(204);
    expect((await lift()).status).toBe(404);
    expect(await readRows(server.db, 'auditLog', { action: 'visitor.unblocked' })).toHaveLength(1);
    await visitor({ chatId: BEN.chatId }).next('welcome');
  });
});

/** The flood limit runs with each kind of shared counter, by the test's clock. */
const counters: Array<[string, (clock: ManualClock) => WindowCounter]> = [
  ['in process', (c) => new InMemoryWindowCounter({ now: () => c.now() })],
  [
    'redis',
    (c) => new RedisWindowCounter({ redis, prefix: `${prefix}${Math.random()}:`, now: () => c.now() }),
  ],
];

describe.each(counters)('SEC-1: a flood of new visitors (%s counter)', (_name, windows) => {
  it('answers busy past the limit of new conversations a minute; chats going on continue', async () => {
    await start({ perMinute: 2, windows });
    // Start at a minute's beginning, so that the test's steps stay within it.
    clock.advance(MINUTE - (clock.now() % MINUTE));
    const send = async (socket: TestSocket, key: string) => {
      socket.send({ type: 'send', key, text: 'Hello?' });
      return socket.next(['ack', 'error'], (frame) => frame.key === key);
    };
    const newcomers = [visitor(), visitor(), visitor()];
    for (const socket of newcomers) await socket.next('welcome');
    expect(await send(newcomers[0]!, 'key-first-00001')).toMatchObject({ type: 'ack' });
    expect(await send(newcomers[1]!, 'key-second-0001')).toMatchObject({ type: 'ack' });
    expect(await send(newcomers[2]!, 'key-third-00001')).toMatchObject({ type: 'error', code: 'busy' });
    // A visitor whose chat is under way goes on, and so does one who was let in.
    const ben = visitor({ chatId: BEN.chatId });
    await ben.next('welcome');
    expect(await send(ben, 'key-ben-0000001')).toMatchObject({ type: 'ack' });
    expect(await send(newcomers[0]!, 'key-first-00002')).toMatchObject({ type: 'ack' });
    // A minute on, the held-back visitor gets in.
    clock.advance(MINUTE);
    expect(await send(newcomers[2]!, 'key-third-00002')).toMatchObject({ type: 'ack' });
  });
});
