import type { IncomingHttpHeaders } from 'node:http';
import type { RawData } from 'ws';
import type { AccessLogHandle } from '../access-log/access-log.ts';
import type { SocketChannel } from './socket-channel.ts';

/** What a socket route may read from a WebSocket handshake. The request itself is let go once the socket opens. */
export interface Handshake {
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  /** The client's address: the peer's, or behind a trusted proxy the last X-Forwarded-For hop. */
  remoteAddress: string | undefined;
}

/** How a route handles its open socket: each frame as it comes (text as a string), and the socket's end. */
export interface SocketHandler {
  receive(data: string | RawData): void;
  closed(): void;
}

/**
 * Sets up an accepted socket. It runs synchronously as the upgrade completes, so that frames sent right after the
 * handshake find their handler. The access-log line is written when the socket closes, or earlier by `finish()`.
 */
export type OpenSocket = (channel: SocketChannel, accessLog: AccessLogHandle) => SocketHandler;

/**
 * A WebSocket route: reads the handshake (looking up an account, a session) before the upgrade, and says how its
 * socket is handled. A handshake that fails a check is still upgraded and then closed with a close code, since
 * browsers show scripts nothing of a refused handshake.
 */
export type SocketRoute = (handshake: Handshake) => Promise<OpenSocket>;

/** For a socket that is being closed for failing a check: its frames are ignored. */
export const IGNORE_FRAMES: SocketHandler = { receive() {}, closed() {} };

/** A header's value; of a header sent more than once, the first. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
