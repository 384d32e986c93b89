import type { AgentFrame, AgentSocketQuery, ServerToAgent } from '@parley/protocol';
import { endsSession } from '@parley/protocol/close-codes';
import { reconnectDelay } from './backoff.ts';
import { parseServerFrame } from './server-frame.ts';

/** The agent's WebSocket to `/ws/agent`: reconnects with backoff, pings to notice dead connections. */

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'waiting'; retryAt: number; attempt: number; reason: string }
  | { kind: 'stopped' };

/** The part of the browser's WebSocket the agent socket uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface AgentSocketOptions {
  url: string;
  onFrame(frame: ServerToAgent): void;
  onState(state: ConnectionState): void;
  /** The server closed with 1008 (policy): not signed in when connecting, or the account closed. */
  onRefused?(): void;
  /**
   * The server ended this sign-in (expired, signed out, removed, password changed; `code` says which). The socket
   * stops for good: reconnecting cannot help until the agent signs in again.
   */
  onSignedOut?(code: number): void;
  createSocket?: (url: string) => SocketLike;
  /**
   * The id of the newest message the dashboard holds, asked on every connection: the server then sends the
   * messages missed since, after its snapshot (`AgentSocketQuery`).
   */
  resumeFrom?: () => string | undefined;
  pingEveryMs?: number;
  pongWithinMs?: number;
}

export interface AgentSocket {
  /** Sends a frame if connected; returns false when it could not. */
  send(frame: AgentFrame): boolean;
  readonly connected: boolean;
  /** Skips the remaining backoff and connects now. */
  reconnectNow(): void;
  stop(): void;
}

const OPEN = 1;
const POLICY_CLOSE = 1008;

export function agentSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/agent`;
}

export function createAgentSocket(options: AgentSocketOptions): AgentSocket {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as SocketLike);
  const pingEveryMs = options.pingEveryMs ?? 25_000;
  const pongWithinMs = options.pongWithinMs ?? 10_000;
  let socket: SocketLike | null = null;
  let attempt = 0;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | null = null;

  const clearTimers = () => {
    if (retryTimer) clearTimeout(retryTimer);
    if (pingTimer) clearInterval(pingTimer);
    if (pongTimer) clearTimeout(pongTimer);
    retryTimer = pingTimer = pongTimer = null;
  };

  const detach = (current: SocketLike) => {
    current.onopen = current.onclose = current.onmessage = current.onerror = null;
  };

  const scheduleRetry = (reason: string) => {
    clearTimers();
    if (stopped) return;
    const delay = reconnectDelay(attempt);
    attempt += 1;
    options.onState({ kind: 'waiting', retryAt: Date.now() + delay, attempt, reason });
    retryTimer = setTimeout(connect, delay);
  };

  const drop = (reason: string) => {
    const current = socket;
    socket = null;
    if (current) {
      detach(current);
      try {
        current.close();
      } catch {
        // Already closed.
      }
    }
    scheduleRetry(reason);
  };

  function connect(): void {
    clearTimers();
    if (stopped) return;
    options.onState({ kind: 'connecting' });
    let current: SocketLike;
    const after = options.resumeFrom?.();
    const query: AgentSocketQuery = after === undefined ? {} : { after };
    const search = new URLSearchParams(query).toString();
    try {
      current = createSocket(search ? `${options.url}?${search}` : options.url);
    } catch {
      scheduleRetry('Could not open a connection.');
      return;
    }
    socket = current;
    current.onopen = () => {
      options.onState({ kind: 'connected' });
      pingTimer = setInterval(() => {
        if (pongTimer) return;
        current.send(JSON.stringify({ type: 'ping' } satisfies AgentFrame));
        pongTimer = setTimeout(() => drop('The server stopped answering.'), pongWithinMs);
      }, pingEveryMs);
    };
    current.onmessage = (event) => {
      // Any frame proves the connection alive.
      if (pongTimer) clearTimeout(pongTimer);
      pongTimer = null;
      const frame = parseServerFrame(event.data);
      if (!frame || frame.type === 'pong') return;
      // A snapshot means the server accepted us: the next drop starts the backoff from the beginning.
      if (frame.type === 'snapshot') attempt = 0;
      options.onFrame(frame);
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      detach(current);
      if (endsSession(event.code)) {
        halt();
        options.onSignedOut?.(event.code);
        return;
      }
      if (event.code === POLICY_CLOSE) options.onRefused?.();
      scheduleRetry(
        event.code === POLICY_CLOSE ? 'The server refused the connection.' : 'The connection was lost.',
      );
    };
    current.onerror = () => {
      // The close event follows and schedules the retry.
    };
  }

  const onBrowserOnline = () => {
    if (!socket && !stopped) {
      attempt = 0;
      connect();
    }
  };
  if (typeof window !== 'undefined') window.addEventListener('online', onBrowserOnline);

  /** No more connections, retries or pings. */
  function halt(): void {
    stopped = true;
    clearTimers();
    if (typeof window !== 'undefined') window.removeEventListener('online', onBrowserOnline);
    options.onState({ kind: 'stopped' });
  }

  connect();

  return {
    send(frame) {
      if (!socket || socket.readyState !== OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    get connected() {
      return socket !== null && socket.readyState === OPEN;
    },
    reconnectNow() {
      // Only while waiting between attempts; a socket that is open or still connecting is left alone.
      if (stopped || socket) return;
      attempt = 0;
      connect();
    },
    stop() {
      halt();
      const current = socket;
      socket = null;
      if (current) {
        detach(current);
        current.close(1000, 'signed out');
      }
    },
  };
}
