import { CLOSE_CODES, SESSION_END_CODES } from '@parley/protocol/close-codes';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionState, createAgentSocket } from './agent-socket.ts';
import { FakeSocket } from './testing/fake-socket.ts';

function setup() {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const signedOut: number[] = [];
  const socket = createAgentSocket({
    url: 'ws://test/ws/agent',
    onFrame: () => {},
    onState: (state) => states.push(state),
    onSignedOut: (code) => signedOut.push(code),
    createSocket: () => {
      const created = new FakeSocket();
      sockets.push(created);
      return created;
    },
  });
  return { socket, sockets, states, signedOut };
}

describe('the agent socket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([...SESSION_END_CODES])(
    'SEC-1: a close with %i (the sign-in ended) signs the dashboard out instead of reconnecting',
    (code) => {
      const { socket, sockets, states, signedOut } = setup();
      sockets[0]!.open();
      sockets[0]!.drop(code);
      vi.advanceTimersByTime(10 * 60_000);
      expect(sockets).toHaveLength(1);
      expect(signedOut).toEqual([code]);
      expect(states.at(-1)).toEqual({ kind: 'stopped' });
      socket.reconnectNow();
      expect(sockets).toHaveLength(1);
    },
  );

  it.each([CLOSE_CODES.goingAway, CLOSE_CODES.slowConsumer, CLOSE_CODES.rightsChanged, 1006])(
    'reconnects after a close with %i, which does not end the sign-in',
    (code) => {
      const { sockets, signedOut } = setup();
      sockets[0]!.open();
      sockets[0]!.drop(code);
      vi.advanceTimersByTime(60_000);
      expect(sockets.length).toBeGreaterThan(1);
      expect(signedOut).toEqual([]);
    },
  );
});
