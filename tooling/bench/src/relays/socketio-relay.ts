import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { isMain } from '../report.ts';

/**
 * The popular alternative: a Socket.IO relay with the same exchange as the bare relay (hello → welcome,
 * send → ack + message to the account's agents), WebSocket transport only, nothing kept, nothing validated.
 * Clients connect with `query: { role: 'visitor' | 'agent', account }` and use the event name as the frame type.
 */
export function startSocketIoRelay(
  port = 0,
  host = '127.0.0.1',
): Promise<{ port: number; close: () => Promise<void> }> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });

  io.on('connection', (socket) => {
    const role = String(socket.handshake.query.role ?? 'visitor');
    const account = String(socket.handshake.query.account ?? '');
    if (role === 'agent') {
      socket.join(`agents:${account}`);
      socket.emit('snapshot', { conversations: [] });
      return;
    }
    const conversationId = randomUUID();
    let seq = 0;
    socket.on('hello', () => {
      socket.emit('welcome', { chatId: conversationId, conversation: null, messages: [] });
    });
    socket.on('send', (frame: { key?: string; text?: string }) => {
      const at = new Date().toISOString();
      const id = `${conversationId}-${seq++}`;
      socket.emit('ack', { key: frame?.key, id, at });
      io.to(`agents:${account}`).emit('message', {
        message: { id, conversationId, author: 'visitor', text: frame?.text, at },
      });
    });
  });

  return new Promise((resolve) => {
    http.listen(port, host, () => {
      resolve({
        port: (http.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            io.close(() => done());
          }),
      });
    });
  });
}

if (isMain(import.meta.url)) {
  const relay = await startSocketIoRelay(Number(process.env.PORT ?? 0));
  console.log(`Socket.IO relay listening on 127.0.0.1:${relay.port}`);
  process.send?.({ port: relay.port });
}
