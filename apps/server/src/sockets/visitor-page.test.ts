import { FIXTURE, readRow, readRows } from '@parley/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, startTestServer, type TestServer, TestSocket } from '../testing/test-app.ts';
import { showVisitorContext } from '../testing/visitor-context.ts';

// A single-page app tells the widget it moved on (`Parley('navigate')`), and the widget sends a `page` frame: the
// visitor's row, the conversation's trail and the agents in the chat follow, as after a new hello, on a website that
// shows agents the pages.

const ACME = FIXTURE.accounts.acme;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await showVisitorContext(server.db, ACME.id);
});
afterEach(async () => {
  await server.close();
});

async function visitor(options: { privacySignal?: boolean } = {}) {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
  socket.send({
    type: 'hello',
    persistent: !options.privacySignal,
    page: 'https://acme.test/shop',
    ...(options.privacySignal ? { privacySignal: true } : {}),
  });
  await socket.next('welcome');
  return socket;
}

const newestVisitor = async () =>
  (await readRows(server.db, 'visitors', {}, { orderBy: 'createdAt', descending: true, limit: 1 }))[0];

describe('the page frame', () => {
  it('moves the visitor to the new page, as a path without its query, and agents in the chat see the trail', async () => {
    const olivia = (await connectAgent(server, FIXTURE.agents.acmeOwner.email)).socket;
    const socket = await visitor();
    socket.send({ type: 'send', key: 'key_page_message', text: 'Do you have roses?' });
    await socket.next('ack');
    await olivia.next('conversation');
    socket.send({ type: 'page', page: 'https://acme.test/shop/roses?session=secret#reviews' });
    type Moved = { conversation: { visitor: { page: string; pages: Array<{ path: string }> } } };
    const moved = await olivia.next<Moved>('conversation');
    expect(moved.conversation.visitor.page).toBe('/shop/roses');
    expect(moved.conversation.visitor.pages.map((page) => page.path)).toEqual(['/shop', '/shop/roses']);
    expect((await newestVisitor())?.currentPage).toBe('/shop/roses');
    socket.send({ type: 'page', page: 'https://acme.test/orders/12345678?key=x' });
    const next = await olivia.next<Moved>('conversation');
    expect(next.conversation.visitor.pages.map((page) => page.path)).toEqual([
      '/shop',
      '/shop/roses',
      '/orders/:id',
    ]);
    olivia.close();
  });

  it('stores nothing for a visitor who has not written yet, and their row starts on the page they moved to', async () => {
    const before = (await readRows(server.db, 'visitors', {})).length;
    const socket = await visitor();
    socket.send({ type: 'page', page: 'https://acme.test/checkout' });
    socket.send({ type: 'ping' });
    await socket.next('pong');
    expect((await readRows(server.db, 'visitors', {})).length).toBe(before);
    socket.send({ type: 'send', key: 'key_after_moving', text: 'Where is my order?' });
    const ack = await socket.next<{ id: string }>('ack');
    const { visitorId } = await readRow(server.db, 'messages', { id: ack.id });
    expect((await readRow(server.db, 'visitors', { id: visitorId })).currentPage).toBe('/checkout');
  });

  it('SIG-1: under a privacy signal no page is kept', async () => {
    const socket = await visitor({ privacySignal: true });
    socket.send({ type: 'page', page: 'https://acme.test/account' });
    socket.send({ type: 'send', key: 'key_signal_page', text: 'Hello' });
    const ack = await socket.next<{ id: string }>('ack');
    const { visitorId } = await readRow(server.db, 'messages', { id: ack.id });
    expect((await readRow(server.db, 'visitors', { id: visitorId })).currentPage).toBeNull();
  });

  it('answers a page that is not a page, or too long, with an error and keeps the socket', async () => {
    const socket = await visitor();
    socket.send({ type: 'page', page: 'x'.repeat(2049) });
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_frame' });
    socket.send({ type: 'page', page: 'javascript:alert(1)' });
    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });
  });
});
