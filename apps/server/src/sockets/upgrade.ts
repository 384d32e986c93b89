import { type IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AccessLogEntry } from '@parley/db/chat';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import {
  type AccessLogWriter,
  accessLogEntry,
  carriesPrivacySignal,
  DeferredAccessLog,
  resolveClientAddress,
} from '../access-log/access-log.ts';
import type { Logger } from '../logger.ts';
import {
  headerValue,
  IGNORE_FRAMES,
  type OpenSocket,
  type SocketHandler,
  type SocketRoute,
} from './handshake.ts';
import { MAX_PAYLOAD_BYTES, SocketChannel, type SocketRegistry } from './socket-channel.ts';

export interface UpgradeOptions {
  /** Socket routes by path (the query string is not part of it). */
  routes: ReadonlyMap<string, SocketRoute>;
  sockets: SocketRegistry;
  accessLog: AccessLogWriter;
  trustProxy: boolean;
  log: Logger;
  /** Told when a socket on a route's path opens and when it closes (the metrics count open sockets). */
  onSocket?: (path: string, change: 'opened' | 'closed') => void;
}

/** A server that announces upgrade requests, as Node's HTTP server does, and answers plain ones. */
export interface UpgradeSource {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
  emit(event: 'request', request: IncomingMessage, response: ServerResponse): boolean;
}

/**
 * Route patterns keep ids and tokens out of the log for HTTP; a path no socket route knows has no pattern, so it is
 * logged as this instead.
 */
const UNKNOWN_ROUTE = '*';

/**
 * Serves WebSocket upgrades on `server`: the route for the request's path reads the handshake, then the socket is
 * accepted and handed to it. A path with no route is answered 404, a request that is not a valid handshake 400.
 */
export function acceptWebSockets(server: UpgradeSource, options: UpgradeOptions): void {
  const wss = new WebSocketServer({
    noServer: true,
    // Frames a little above the protocol's limit get a `frame_too_large` error; far larger ones close the socket.
    maxPayload: MAX_PAYLOAD_BYTES,
    // `SocketRegistry` already knows every open socket.
    clientTracking: false,
  });
  server.on('upgrade', (request, socket, head) => {
    // Node sends every request with an Upgrade header here. One that asks for another protocol (`h2c`, which
    // `curl --http2` sends on http://) is answered as the plain HTTP request it also is; RFC 9110 lets a server
    // ignore the header.
    if (headerValue(request.headers, 'upgrade')?.toLowerCase() !== 'websocket')
      return answerAsHttp(server, request, socket);
    upgrade(wss, options, request, socket, head).catch((error: unknown) => {
      options.log.error('a WebSocket upgrade failed', error);
      socket.destroy();
    });
  });
}

async function upgrade(
  wss: WebSocketServer,
  options: UpgradeOptions,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const startedAt = performance.now();
  // Node stops listening for the socket's errors when it hands it over; until ws takes it, this does.
  socket.on('error', destroySocket);
  const { headers } = request;
  const remoteAddress = resolveClientAddress(
    headerValue(headers, 'x-forwarded-for'),
    request.socket.remoteAddress,
    options.trustProxy,
  );
  const url = parseTarget(request.url);
  const found = url && findRoute(options.routes, url.pathname);
  const logLine = (status: number): AccessLogEntry =>
    accessLogEntry({
      method: request.method ?? '',
      route: found ? found.path : UNKNOWN_ROUTE,
      status,
      startedAt,
      clientAddress: remoteAddress,
      userAgent: headerValue(headers, 'user-agent'),
      acceptLanguage: headerValue(headers, 'accept-language'),
      privacySignal: carriesPrivacySignal((name) => headerValue(headers, name)),
    });

  const refuse = (status: number): void => {
    hangUp(socket, status);
    options.accessLog.push(logLine(status));
  };
  if (!url || !found) return refuse(404);
  if (request.method !== 'GET') return refuse(400);

  let open: OpenSocket;
  try {
    open = await found.route({ headers, query: url.searchParams, remoteAddress });
  } catch (error) {
    options.log.error('a WebSocket handshake failed', error, { route: found.path });
    return refuse(500);
  }
  socket.off('error', destroySocket);
  let accepted = false;
  wss.handleUpgrade(request, socket, head, (ws) => {
    accepted = true;
    run(ws, found.path, open, new DeferredAccessLog(options.accessLog, logLine(101)), options);
  });
  // ws has answered 400 itself (or dropped a client that had already gone).
  if (!accepted) options.accessLog.push(logLine(400));
}

/** The route for a path, with the path as registered: a log line kept for the socket's life then shares its string. */
function findRoute(
  routes: ReadonlyMap<string, SocketRoute>,
  pathname: string,
): { path: string; route: SocketRoute } | null {
  for (const [path, route] of routes) if (path === pathname) return { path, route };
  return null;
}

/**
 * Runs an accepted socket. Everything it keeps for the socket's life is made here, away from the handshake's scope,
 * so that the request can be collected.
 */
function run(
  ws: WebSocket,
  path: string,
  open: OpenSocket,
  accessLog: DeferredAccessLog,
  options: UpgradeOptions,
): void {
  const channel = new SocketChannel(ws, options.log);
  options.sockets.add(channel);
  options.onSocket?.(path, 'opened');
  let handler: SocketHandler;
  try {
    handler = open(channel, accessLog);
  } catch (error) {
    options.log.error('a WebSocket could not be set up', error);
    handler = IGNORE_FRAMES;
    ws.terminate();
  }
  ws.on('message', (data: RawData, isBinary: boolean) => handler.receive(isBinary ? data : data.toString()));
  // ws closes the socket itself after a protocol error (1002, 1007, 1009); the close below does the rest.
  ws.on('error', ignoreError);
  ws.on('close', () => {
    channel.closed();
    options.sockets.remove(channel);
    options.onSocket?.(path, 'closed');
    handler.closed();
    accessLog.finish();
  });
}

/**
 * Hands a request that was announced as an upgrade back to the HTTP server's handler, on its own connection. Only a
 * request without a body can be: the body's bytes were taken from the HTTP parser with the socket.
 */
function answerAsHttp(server: UpgradeSource, request: IncomingMessage, socket: Duplex): void {
  const withoutBody =
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.headers['content-length'] === undefined &&
    request.headers['transfer-encoding'] === undefined;
  if (!withoutBody) {
    hangUp(socket, 400);
    return;
  }
  socket.on('error', destroySocket);
  const response = new ServerResponse(request);
  response.shouldKeepAlive = false;
  response.assignSocket(socket as Socket);
  response.once('finish', () => {
    response.detachSocket(socket as Socket);
    socket.end();
  });
  server.emit('request', request, response);
}

function ignoreError(): void {}

/** Answers with an empty response of `status`, then closes the connection. */
function hangUp(socket: Duplex, status: number): void {
  socket.once('finish', destroySocket);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** The request's path and query, or null if its target cannot be read. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}
