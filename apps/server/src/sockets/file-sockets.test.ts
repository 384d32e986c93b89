import { FIXTURE } from '@parley/db/testing';
import type { ChatMessage } from '@parley/protocol';
import { fileUploadPath } from '@parley/widget';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, startTestServer, type TestServer, TestSocket } from '../testing/test-app.ts';

// The visitor socket's part in files: it says which kinds a website takes, and hands the widget the token its
// upload goes with, once there is a conversation to send to. The file then arrives on every socket of the chat.

const ACME = FIXTURE.accounts.acme;
const ben = FIXTURE.visitors.ben;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

async function visitor(chatId?: string) {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
  socket.send({ type: 'hello', persistent: true, ...(chatId ? { chatId } : {}) });
  const welcome = await socket.next<{ settings: { files?: string[] } }>('welcome');
  return { socket, welcome };
}

describe('files over the visitor socket', () => {
  it('the welcome says which kinds of file the website takes: images and PDF until its owner says otherwise', async () => {
    const { socket, welcome } = await visitor();
    expect(welcome.settings.files).toEqual(['image', 'pdf']);
    socket.close();
  });

  it('gives no upload token before the chat has begun', async () => {
    const { socket } = await visitor();
    socket.send({ type: 'upload_token' });
    expect(await socket.next('error')).toMatchObject({ code: 'not_ready' });
    socket.close();
  });

  it("gives a token for the visitor's open conversation, with which the widget's upload reaches every socket of the chat", async () => {
    const { socket } = await visitor(ben.chatId);
    const { socket: agents } = await connectAgent(server, FIXTURE.agents.acmeOwner.email);
    socket.send({ type: 'upload_token' });
    const grant = await socket.next<{ token: string; path: string; expiresAt: string }>('upload_token');
    expect(grant.path).toBe(fileUploadPath(ACME.publicKey));
    expect(Date.parse(grant.expiresAt)).toBeGreaterThan(Date.now());
    const response = await fetch(`${server.running.url}${grant.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${grant.token}`,
        'x-parley-name': 'terms.pdf',
        'x-parley-key': 'key_socket_upload',
        origin: 'https://shop.example',
      },
      body: '%PDF-1.4\n% terms\n%%EOF\n',
    });
    expect(response.status).toBe(201);
    const { message } = (await response.json()) as { message: ChatMessage };
    const heard = await socket.next<{ message: ChatMessage }>('message');
    expect(heard.message).toEqual(message);
    const seen = await agents.next<{ message: ChatMessage }>(
      'message',
      (f) => (f.message as ChatMessage).id === message.id,
    );
    expect(seen.message.file).toMatchObject({ name: 'terms.pdf', type: 'application/pdf' });
    socket.close();
    agents.close();
  });
});
