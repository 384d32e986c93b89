import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { isMain } from '../report.ts';

/**
 * The floor Parley is compared with: a `ws` relay that speaks the same frames (hello → welcome, send → ack to the
 * visitor and message to the account's agent socket) but keeps nothing and checks nothing beyond JSON.parse.
 * Visitors connect to `/ws/visitor?account=KEY`, agents to `/ws/agent?account=KEY` (no sign-in).
 */
export function startBareWsRelay(
  port = 0,
  host = '127.0.0.1',
): Promise<{ port: number; close: () => Promise<void> }> {
  const agents = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ host, port, perMessageDeflate: false, maxPayload: 16 * 1024 });

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', 'http://relay');
    const account = url.searchParams.get('account') ?? '';
    if (url.pathname === '/ws/agent') {
      const set = agents.get(account) ?? new Set();
      set.add(socket);
      agents.set(account, set);
      socket.on('close', () => set.delete(socket));
      socket.send(JSON.stringify({ type: 'snapshot', conversations: [] }));
      return;
    }
    const conversationId = randomUUID();
    let seq = 0;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: { type?: string; key?: string; text?: string };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        socket.send(
          JSON.stringify({ type: 'welcome', chatId: conversationId, conversation: null, messages: [] }),
        );
      } else if (frame.type === 'send') {
        const at = new Date().toISOString();
        const id = `${conversationId}-${seq++}`;
        socket.send(JSON.stringify({ type: 'ack', key: frame.key, id, at }));
        const out = JSON.stringify({
          type: 'message',
          message: { id, conversationId, author: 'visitor', text: frame.text, at },
        });
        for (const agent of agents.get(account) ?? []) agent.send(out);
      }
    });
  });

  return new Promise((resolve) => {
    wss.on('listening', () => {
      const address = wss.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}

if (isMain(import.meta.url)) {
  const relay = await startBareWsRelay(Number(process.env.PORT ?? 0));
  console.log(`bare ws relay listening on 127.0.0.1:${relay.port}`);
  process.send?.({ port: relay.port });
}
