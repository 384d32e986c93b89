import { FIXTURE, updateRows } from '@parley/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
} from '../testing/test-app.ts';

// The dashboard shows the message of its socket's error frames: they speak the dashboard's language, the one the
// agent chose or, while they have not, their browser's.

const owner = FIXTURE.agents.acmeOwner;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

async function errorFrame(headers: Record<string, string>): Promise<{ code: string; message: string }> {
  const session = await signIn(inProcessClient(server), owner.email);
  const socket = new TestSocket(`${server.wsUrl}/ws/agent`, {
    origin: server.running.url,
    cookie: session.cookie,
    ...headers,
  });
  try {
    await socket.next('snapshot');
    socket.send({ type: 'open', conversationId: 'cnv_not_there' });
    return await socket.next<{ code: string; message: string }>('error');
  } finally {
    socket.close();
  }
}

describe('the dashboard socket’s error frames', () => {
  it('speak the language the agent chose, whatever the browser prefers', async () => {
    await updateRows(server.db, 'agents', { language: 'de' }, { id: owner.id });
    expect(await errorFrame({ 'accept-language': 'en-GB,en;q=0.9' })).toMatchObject({
      code: 'not_found',
      message: 'diese Unterhaltung gibt es nicht',
    });
  });

  it('follow the browser while the agent has chosen no language', async () => {
    expect(await errorFrame({ 'accept-language': 'de-AT,de;q=0.9' })).toMatchObject({
      message: 'diese Unterhaltung gibt es nicht',
    });
    expect(await errorFrame({ 'accept-language': 'en-US' })).toMatchObject({
      message: 'there is no such conversation',
    });
  });
});
