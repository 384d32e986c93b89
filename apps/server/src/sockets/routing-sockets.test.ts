import { createWebsite, defaultWebsiteSettings } from '@parley/db';
import {
  createDepartment,
  setAgentCapacity,
  setDepartmentAgents,
  setWebsiteDepartments,
} from '@parley/db/chat';
import { FIXTURE, readRow, updateRows } from '@parley/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, startTestServer, type TestServer, TestSocket } from '../testing/test-app.ts';

const acme = FIXTURE.accounts.acme.id;
const OLIVIA = FIXTURE.agents.acmeOwner;
const ADAM = FIXTURE.agents.acmeAgent;
const C = FIXTURE.conversations;

let server: TestServer;
let websiteKey: string;
let sales: string;
let support: string;

/** A website offering two departments: Sales, answered by Olivia, and Support, answered by Adam (both online). */
beforeEach(async () => {
  server = await startTestServer();
  const website = await createWebsite(server.db, acme, defaultWebsiteSettings('Shop'));
  websiteKey = website.publicKey;
  sales = (await createDepartment(server.db, { accountId: acme, name: 'Sales' })).id;
  support = (await createDepartment(server.db, { accountId: acme, name: 'Support' })).id;
  await setDepartmentAgents(server.db, { accountId: acme, departmentId: sales, agentIds: [OLIVIA.id] });
  await setDepartmentAgents(server.db, { accountId: acme, departmentId: support, agentIds: [ADAM.id] });
  await setWebsiteDepartments(server.db, {
    accountId: acme,
    websiteId: website.id,
    departmentIds: [sales, support],
  });
  await updateRows(server.db, 'agents', { online: true }, { id: ADAM.id });
  // The fixture's waiting chat would go to the first agent online; these tests start from an empty queue.
  await updateRows(
    server.db,
    'conversations',
    { status: 'closed', closedAt: Date.now() },
    { id: C.gpcWaiting },
  );
});
afterEach(async () => {
  await server.close();
});

const agent = async (email: string): Promise<TestSocket> => (await connectAgent(server, email)).socket;

/** A visitor on the website, with every frame they were sent kept as text too. */
async function visitor() {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${websiteKey}`);
  const received: string[] = [];
  socket.ws.on('message', (data) => received.push(String(data)));
  socket.send({ type: 'hello', persistent: true });
  const welcome = await socket.next<{ settings: { departments?: unknown } }>('welcome');
  return { socket, welcome, received };
}

/** The visitor chooses a department in the pre-chat form, then writes; resolves with the chat's id once stored. */
async function startChat(socket: TestSocket, departmentId: string, text: string): Promise<string> {
  socket.send({ type: 'profile', name: 'Vera', department: departmentId });
  await socket.next('done');
  socket.send({ type: 'send', key: `key_${departmentId}_${text.length}`, text });
  await socket.next('ack');
  const row = await readRow(server.db, 'messages', { body: text });
  return row.conversationId;
}

/** Frames are handled in order: once the ping is answered, every frame sent before it has been. */
async function settled(socket: TestSocket): Promise<void> {
  socket.send({ type: 'ping' });
  await socket.next('pong');
}

describe('departments and routing', () => {
  it('offers the website’s departments and routes the chat to the chosen one’s agent; the visitor sees who joined', async () => {
    const adam = await agent(ADAM.email);
    const { socket, welcome } = await visitor();
    expect(welcome.settings.departments).toEqual([
      { id: sales, name: 'Sales' },
      { id: support, name: 'Support' },
    ]);
    const conversationId = await startChat(socket, support, 'My order never arrived');
    expect(await socket.next('conversation', (f) => f.status === 'active')).toEqual({
      type: 'conversation',
      status: 'active',
      agentName: ADAM.name,
    });
    expect(await readRow(server.db, 'conversations', { id: conversationId })).toMatchObject({
      agentId: ADAM.id,
      departmentId: support,
    });
    const taken = await adam.next<{ conversation: { department?: unknown; agentId?: string } }>(
      'conversation',
      (f) => (f.conversation as { id: string; agentId?: string }).id === conversationId,
    );
    expect(taken.conversation.department).toEqual({ id: support, name: 'Support' });
  });

  it('refuses a department the website does not offer', async () => {
    const other = await createDepartment(server.db, { accountId: acme, name: 'Billing' });
    const { socket } = await visitor();
    socket.send({ type: 'profile', department: other.id });
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_frame' });
  });

  it('queues a chat while its department’s agents are full, tells the visitor their place, and routes it when one frees', async () => {
    await setAgentCapacity(server.db, { accountId: acme, agentId: ADAM.id, capacity: 1 });
    const adam = await agent(ADAM.email);
    const first = await visitor();
    const firstChat = await startChat(first.socket, support, 'First in line');
    await first.socket.next('conversation', (f) => f.status === 'active');
    const second = await visitor();
    await startChat(second.socket, support, 'Second in line');
    expect(await second.socket.next('queue')).toEqual({ type: 'queue', position: 1 });
    adam.send({ type: 'close', conversationId: firstChat });
    expect(await second.socket.next('conversation', (f) => f.status === 'active')).toMatchObject({
      agentName: ADAM.name,
    });
  });
});

describe('transfers and internal notes', () => {
  it('hands a chat on with a note the agents see and the visitor never does, nor their transcript', async () => {
    const adam = await agent(ADAM.email);
    const olivia = await agent(OLIVIA.email);
    const { socket, received } = await visitor();
    const conversationId = await startChat(socket, support, 'Can I pay by invoice?');
    await socket.next('conversation', (f) => f.status === 'active');
    adam.send({
      type: 'transfer',
      conversationId,
      to: { agentId: OLIVIA.id },
      note: 'Billing question, VIP',
    });
    const handed = await olivia.next<{ note: { text: string; authorName: string } }>('note');
    expect(handed.note).toMatchObject({
      conversationId,
      text: 'Billing question, VIP',
      authorName: ADAM.name,
    });
    expect(await socket.next('conversation', (f) => f.agentName === OLIVIA.name)).toMatchObject({
      status: 'active',
    });
    olivia.send({ type: 'note', key: 'key_note_olivia', conversationId, text: 'Sent the invoice form' });
    expect(await olivia.next('ack')).toMatchObject({ key: 'key_note_olivia' });
    expect(await olivia.next('note')).toMatchObject({ note: { text: 'Sent the invoice form' } });
    // Adam no longer holds the chat: as an agent, he sees nothing more of it.
    await adam.next('note', (f) => (f.note as { text: string }).text === 'Billing question, VIP');
    await adam.none('note');
    olivia.send({ type: 'open', conversationId });
    const history = await olivia.next<{ notes: Array<{ text: string }> }>('history');
    expect(history.notes.map((note) => note.text)).toEqual([
      'Billing question, VIP',
      'Sent the invoice form',
    ]);
    socket.send({ type: 'end' });
    await socket.next('conversation', (f) => f.status === 'closed');
    socket.send({ type: 'transcript', email: 'vera@example.org' });
    await socket.next('done', (f) => f.what === 'transcript');
    await settled(socket);
    const mail = await readRow(server.db, 'noticeOutbox', {
      kind: 'transcript',
      toEmail: 'vera@example.org',
    });
    expect(mail.body).toContain('Can I pay by invoice?');
    expect(mail.body).not.toContain('VIP');
    expect(mail.body).not.toContain('invoice form');
    expect(received.some((frame) => JSON.parse(frame).type === 'note')).toBe(false);
    expect(received.join('\n')).not.toContain('VIP');
    expect(received.join('\n')).not.toContain('invoice form');
  });

  it('refuses a transfer to an agent of another account', async () => {
    const adam = await agent(ADAM.email);
    const { socket } = await visitor();
    const conversationId = await startChat(socket, support, 'Hello there');
    await socket.next('conversation', (f) => f.status === 'active');
    adam.send({ type: 'transfer', conversationId, to: { agentId: FIXTURE.agents.globexOwner.id } });
    expect(await adam.next('error')).toMatchObject({ code: 'not_found' });
  });
});
