import { EventEmitter } from 'node:events';
import { CLOSE_CODES } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../logger.ts';
import { SocketChannel, SocketRegistry } from './socket-channel.ts';

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
    closedWith: null as number | null,
    send() {
      this.sentWhileCorked.push(tcp.corks > tcp.uncorks);
    },
    close(code: number) {
      this.closedWith = code;
    },
    terminate() {},
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

/** A socket whose catch-up fails `failures` times, then works; it records the anchor each try started from. */
function resumableSocket(failures: number) {
  const socket = fakeSocket();
  let delivered = 'msg_1';
  const tries: string[] = [];
  socket.channel.resumable = {
    planCatchUp() {
      const anchor = delivered;
      return () =>
        socket.channel.run(async () => {
          tries.push(anchor);
          if (tries.length <= failures) throw new Error('presence is not back yet');
        });
    },
  };
  return { ...socket, tries, deliver: (id: string) => (delivered = id) };
}

describe('SocketRegistry.catchUp', () => {
  it('tries a failed catch-up again from the same message, and keeps the socket open once it worked', async () => {
    const registry = new SocketRegistry([5, 5, 5]);
    const flaky = resumableSocket(2);
    const fine = resumableSocket(0);
    registry.add(flaky.channel);
    registry.add(fine.channel);
    const caughtUp = registry.catchUp();
    // The bus delivers a newer message meanwhile: the tries still start from the one delivered at the call.
    flaky.deliver('msg_2');
    expect(await caughtUp).toEqual({ closed: 0 });
    expect(flaky.tries).toEqual(['msg_1', 'msg_1', 'msg_1']);
    expect(fine.tries).toEqual(['msg_1']);
    expect([flaky.raw.closedWith, fine.raw.closedWith]).toEqual([null, null]);
  });

  it('closes a socket that still cannot catch up after the last try, so that its client resumes', async () => {
    const registry = new SocketRegistry([5, 5]);
    const broken = resumableSocket(Number.POSITIVE_INFINITY);
    const fine = resumableSocket(0);
    registry.add(broken.channel);
    registry.add(fine.channel);
    expect(await registry.catchUp()).toEqual({ closed: 1 });
    expect(broken.tries).toHaveLength(3);
    expect(broken.raw.closedWith).toBe(CLOSE_CODES.resume);
    expect(fine.raw.closedWith).toBeNull();
  });

  it('queues the catch-up behind the frames already being handled, and tells the client nothing of a failure', async () => {
    const { channel, raw } = fakeSocket();
    const order: string[] = [];
    let release = () => {};
    const frameHandled = new Promise<void>((resolve) => (release = resolve));
    channel.enqueue(() => frameHandled.then(() => void order.push('frame')));
    const caughtUp = channel.run(async () => {
      order.push('catch-up');
      throw new Error('the store is away');
    });
    release();
    await expect(caughtUp).rejects.toThrow('the store is away');
    expect(order).toEqual(['frame', 'catch-up']);
    expect(raw.sentWhileCorked).toEqual([]);
  });
});
