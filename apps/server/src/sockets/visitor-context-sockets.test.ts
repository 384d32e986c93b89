import { updateWebsite } from '@parley/db';
import { countRows, FIXTURE, readRow } from '@parley/db/testing';
import type { VisitorSummary } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, startTestServer, type TestServer, TestSocket } from '../testing/test-app.ts';
import { ALL_VISITOR_CONTEXT, showVisitorContext } from '../testing/visitor-context.ts';

// Each item of context about a visitor is off until the website turns it on, and none is collected for a visitor
// who sent Global Privacy Control or Do Not Track, whatever the website says.

const ACME = FIXTURE.accounts.acme;
const NONE = { pages: false, localTime: false, country: false, browser: false, history: false };
const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ config: { countryHeader: 'cf-ipcountry' } });
});
afterEach(async () => {
  await server.close();
});

/** A visitor whose browser says all there is to say; returns their socket once welcomed, and their chat id. */
async function visitor(options: { privacySignal?: boolean; chatId?: string; timeZone?: string } = {}) {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`, {
    'user-agent': FIREFOX_ON_LINUX,
    'cf-ipcountry': 'AT',
  });
  socket.send({
    type: 'hello',
    persistent: !options.privacySignal,
    page: 'https://acme.test/orders/4711001/track?token=abc#map',
    locale: 'de-AT',
    timeZone: options.timeZone ?? 'Europe/Vienna',
    ...(options.chatId ? { chatId: options.chatId } : {}),
    ...(options.privacySignal ? { privacySignal: true } : {}),
  });
  const welcome = await socket.next<{ chatId: string }>('welcome');
  return { socket, chatId: welcome.chatId };
}

type ConversationFrame = { conversation: { id: string; status: string; visitor: VisitorSummary } };

/** The visitor writes, then moves to another page; returns what the agent saw last, and the visitor's row. */
async function chatAndMove(agent: TestSocket, socket: TestSocket, key: string) {
  socket.send({ type: 'send', key, text: 'Where is my parcel?' });
  const ack = await socket.next<{ id: string }>('ack');
  const started = await agent.next<ConversationFrame>('conversation');
  socket.send({ type: 'page', page: 'https://acme.test/help/shipping' });
  socket.send({ type: 'ping' });
  await socket.next('pong');
  const { visitorId, conversationId } = await readRow(server.db, 'messages', { id: ack.id });
  const row = await readRow(server.db, 'visitors', { id: visitorId });
  return { visitorId, conversationId, row, started };
}

/** Every conversation frame the agent was sent: the one that started the chat, and any left unread. */
function conversationFrames(agent: TestSocket, started: ConversationFrame) {
  return [
    started,
    ...(agent.frames.filter((frame) => frame.type === 'conversation') as unknown as ConversationFrame[]),
  ];
}

const agentOf = async () => (await connectAgent(server, FIXTURE.agents.acmeOwner.email)).socket;

describe('the visitor in context', () => {
  it('with every item off, nothing is stored or shown to agents but the language', async () => {
    await showVisitorContext(server.db, ACME.id, NONE);
    const olivia = await agentOf();
    const { socket } = await visitor();
    const { row, conversationId, started } = await chatAndMove(olivia, socket, 'key_context_off');
    expect(row).toMatchObject({
      country: null,
      currentPage: null,
      timeZone: null,
      browser: null,
      system: null,
      // The region of `de-AT` would tell the country.
      locale: 'de',
    });
    expect(await countRows(server.db, 'pageVisits', { conversationId })).toBe(0);
    for (const frame of conversationFrames(olivia, started))
      expect(frame.conversation.visitor).toEqual({ locale: 'de' });
  });

  it('with every item on, agents see the masked pages, local time zone, country, browser and system', async () => {
    await showVisitorContext(server.db, ACME.id);
    const olivia = await agentOf();
    const { socket } = await visitor();
    const { row, conversationId } = await chatAndMove(olivia, socket, 'key_context_on');
    expect(row).toMatchObject({
      country: 'AT',
      currentPage: '/help/shipping',
      timeZone: 'Europe/Vienna',
      browser: 'Firefox',
      system: 'Linux',
      locale: 'de-AT',
    });
    const moved = await olivia.next<ConversationFrame>('conversation');
    expect(moved.conversation.visitor).toMatchObject({
      page: '/help/shipping',
      country: 'AT',
      timeZone: 'Europe/Vienna',
      browser: 'Firefox',
      system: 'Linux',
    });
    expect(moved.conversation.visitor.pages?.map((page) => page.path)).toEqual([
      '/orders/:id/track',
      '/help/shipping',
    ]);
    expect(await countRows(server.db, 'pageVisits', { conversationId })).toBe(2);
  });

  it('SIG-1: with every item on, a visitor who sent a privacy signal gives agents nothing of it', async () => {
    await showVisitorContext(server.db, ACME.id);
    const olivia = await agentOf();
    const { socket } = await visitor({ privacySignal: true });
    const { row, conversationId, started } = await chatAndMove(olivia, socket, 'key_context_signal');
    expect(row).toMatchObject({
      country: null,
      currentPage: null,
      timeZone: null,
      browser: null,
      system: null,
      locale: null,
    });
    expect(await countRows(server.db, 'pageVisits', { conversationId })).toBe(0);
    for (const frame of conversationFrames(olivia, started)) expect(frame.conversation.visitor).toEqual({});
  });

  it('shows a returning visitor’s earlier conversations, only where the website turned history on', async () => {
    await showVisitorContext(server.db, ACME.id, { ...NONE, history: true });
    const olivia = await agentOf();
    const first = await visitor();
    const { conversationId: earlier } = await chatAndMove(olivia, first.socket, 'key_history_first');
    first.socket.send({ type: 'end' });
    await first.socket.next('conversation', (frame) => frame.status === 'closed');
    const again = await visitor({ chatId: first.chatId });
    again.socket.send({ type: 'send', key: 'key_history_again', text: 'Me again' });
    const started = await olivia.next<ConversationFrame>(
      'conversation',
      (frame) => (frame as unknown as ConversationFrame).conversation.id !== earlier,
    );
    expect(started.conversation.visitor.earlier?.map((conversation) => conversation.id)).toEqual([earlier]);
    expect(started.conversation.visitor.pages).toBeUndefined();
  });

  it('ignores a time zone that is not one, and clears an item the owner turned off since', async () => {
    const website = await showVisitorContext(server.db, ACME.id);
    const olivia = await agentOf();
    const first = await visitor({ timeZone: 'Mars/Olympus_Mons' });
    const { visitorId, row } = await chatAndMove(olivia, first.socket, 'key_context_zone');
    expect(row).toMatchObject({ timeZone: null, browser: 'Firefox' });
    await updateWebsite(server.db, ACME.id, website.id, {
      ...website,
      context: { ...ALL_VISITOR_CONTEXT, browser: false },
    });
    await visitor({ chatId: first.chatId });
    expect(await readRow(server.db, 'visitors', { id: visitorId })).toMatchObject({
      browser: null,
      system: null,
      country: 'AT',
    });
  });
});
