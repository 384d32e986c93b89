import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../logger.ts';
import { SocketChannel } from './socket-channel.ts';

/** A WebSocket stand-in whose TCP socket records whether each frame was written while corked. */
function fakeSocket() {
  const tcp = {
    corks: 0,
    uncorks: 0,
    cork() {
      this.corks++;
    },
    uncork() {
      this.uncorks++;
    },
  };
  const raw = Object.assign(new EventEmitter(), {
    readyState: WebSocket.OPEN,
    bufferedAmount: 0,
    _socket: tcp,
    sentWhileCorked: [] as boolean[],
    send() {
      this.sentWhileCorked.push(tcp.corks > tcp.uncorks);
    },
  });
  return { raw, tcp, channel: new SocketChannel(raw as unknown as WebSocket, silentLogger) };
}

describe('SocketChannel writes', () => {
  it('sends the frames of one tick in one write: corked until the tick ends, then released once', async () => {
    const { raw, tcp, channel } = fakeSocket();
    await Promise.resolve().then(() => {
      for (let i = 0; i < 3; i++) channel.send({ type: 'message', n: i });
    });
    // Frames sent from promise callbacks of the same tick (a writer batch resolving) join the same write.
    await Promise.resolve().then(() => channel.send({ type: 'message', n: 3 }));
    expect(raw.sentWhileCorked).toEqual([true, true, true, true]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(tcp).toMatchObject({ corks: 1, uncorks: 1 });
    channel.send({ type: 'message', n: 4 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(tcp).toMatchObject({ corks: 2, uncorks: 2 });
  });
});
