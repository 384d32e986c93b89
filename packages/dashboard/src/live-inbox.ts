import type { AgentFrame, ChatMessage, ConversationSummary, ServerToAgent } from '@parley/protocol';
import {
  type AgentSocket,
  type ConnectionState,
  createAgentSocket,
  type SocketLike,
} from './agent-socket.ts';
import type { Role } from './api-types.ts';
import {
  emptyInbox,
  type InboxAction,
  type InboxState,
  newerMessage,
  reduceInbox,
} from './conversation-list.ts';
import { newIdempotencyKey } from './idempotency-key.ts';
import { Outbox, type PendingMessage } from './outbox.ts';

/**
 * The live side of the dashboard: one agent socket, the inbox reducer and the outbox, behind a small store that
 * views subscribe to.
 */

export interface LiveState {
  readonly inbox: InboxState;
  readonly outbox: readonly PendingMessage[];
  readonly connection: ConnectionState;
  /** The server has sent its snapshot on the current connection. */
  readonly ready: boolean;
  /** The agent takes new chats (the status frame). */
  readonly online: boolean;
  readonly agentsOnline: number;
  /** The last error frame not tied to a message, for a notice. */
  readonly notice: { message: string; at: number } | null;
}

export interface LiveInboxOptions {
  url: string;
  /**
   * The signed-in agent. A plain `agent` (not owner or admin) works only on waiting chats and their own, so a chat
   * another agent takes leaves their inbox.
   */
  me: { name: string; id?: string; role?: Role };
  onRefused?(): void;
  /** The server ended this sign-in; see `AgentSocketOptions.onSignedOut`. */
  onSignedOut?(code: number): void;
  createSocket?: (url: string) => SocketLike;
}

/** Whom a chat is handed to: one agent, or a department whose routing picks one. */
export type TransferTarget = { agentId: string } | { departmentId: string };

type Listener = (state: LiveState, previous: LiveState) => void;

/** Visitors' typing frames can be lost with a dropped connection; forget "typing" after this long without one. */
const TYPING_EXPIRES_MS = 8_000;

export class LiveInbox {
  #state: LiveState = {
    inbox: emptyInbox,
    outbox: [],
    connection: { kind: 'connecting' },
    ready: false,
    online: false,
    agentsOnline: 0,
    notice: null,
  };
  readonly #listeners = new Set<Listener>();
  readonly #outbox = new Outbox();
  readonly #typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per conversation, the last message the server was told this agent has seen. */
  readonly #seenSent = new Map<string, string>();
  readonly #options: LiveInboxOptions;
  #socket: AgentSocket | null = null;
  /**
   * The newest message of the server's stream this dashboard holds (a snapshot's last messages, `message` frames),
   * which every reconnect resumes from. The acknowledgements of the agent's own replies and histories do not count:
   * they come whether or not the stream lost something before them.
   */
  #newest: ChatMessage | undefined;

  constructor(options: LiveInboxOptions) {
    this.#options = options;
  }

  get state(): LiveState {
    return this.#state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#socket) return;
    this.#socket = createAgentSocket({
      url: this.#options.url,
      createSocket: this.#options.createSocket,
      onFrame: (frame) => this.#onFrame(frame),
      resumeFrom: () => this.#newest?.id,
      onState: (connection) =>
        this.#set({ connection, ready: connection.kind === 'connected' && this.#state.ready }),
      onRefused: this.#options.onRefused,
      onSignedOut: this.#options.onSignedOut,
    });
  }

  stop(): void {
    this.#socket?.stop();
    this.#socket = null;
    for (const timer of this.#typingTimers.values()) clearTimeout(timer);
    this.#typingTimers.clear();
    this.#outbox.clear();
    this.#listeners.clear();
  }

  reconnectNow(): void {
    this.#socket?.reconnectNow();
  }

  /** Opens a conversation (or none): clears its unread count and asks the server for its history. */
  focus(conversationId: string | null): void {
    if (this.#state.inbox.openId === conversationId) return;
    this.#dispatch({ type: 'focus', conversationId });
    if (conversationId) this.#frame({ type: 'open', conversationId });
  }

  /** Queues a reply; it goes out now if connected, otherwise as soon as the connection is back. */
  send(conversationId: string, text: string): PendingMessage {
    const item = this.#outbox.add({
      key: newIdempotencyKey(),
      conversationId,
      text,
      createdAt: new Date().toISOString(),
    });
    this.#flush();
    return item;
  }

  retry(key: string): void {
    if (this.#outbox.retry(key)) this.#flush();
  }

  discard(key: string): void {
    this.#outbox.discard(key);
    this.#set({ outbox: this.#outbox.items });
  }

  /**
   * Writes an internal note for the account's agents. It shows once the server sends it back as a `note` frame;
   * false when not connected (a note is not queued like a reply).
   */
  note(conversationId: string, text: string): boolean {
    return this.#frame({ type: 'note', key: newIdempotencyKey(), conversationId, text });
  }

  /** Hands the conversation to another agent or a department, with a note for them; false when not connected. */
  transfer(conversationId: string, to: TransferTarget, note?: string): boolean {
    return this.#frame({ type: 'transfer', conversationId, to, ...(note ? { note } : {}) });
  }

  typing(conversationId: string, typing: boolean): void {
    this.#frame({ type: 'typing', conversationId, typing });
  }

  /**
   * The agent has seen a conversation up to the visitor's message `id` (it is open on a visible tab). The server
   * hears each once, while connected; a call that could not be sent tries again the next time.
   */
  seen(conversationId: string, id: string): void {
    if (this.#seenSent.get(conversationId) === id) return;
    if (this.#frame({ type: 'seen', conversationId, id })) this.#seenSent.set(conversationId, id);
  }

  close(conversationId: string): boolean {
    return this.#frame({ type: 'close', conversationId });
  }

  setOnline(online: boolean): boolean {
    if (!this.#frame({ type: 'status', online })) return false;
    this.#set({ online });
    return true;
  }

  /** The conversation was erased (child flag): forget it and anything still queued for it. */
  remove(conversationId: string): void {
    this.#outbox.dropConversation(conversationId);
    this.#seenSent.delete(conversationId);
    if (this.#state.inbox.openId === conversationId) this.#dispatch({ type: 'focus', conversationId: null });
    this.#dispatch({ type: 'remove', conversationId });
    this.#set({ outbox: this.#outbox.items });
  }

  dismissNotice(): void {
    this.#set({ notice: null });
  }

  #frame(frame: AgentFrame): boolean {
    return this.#socket?.send(frame) ?? false;
  }

  #flush(): void {
    if (this.#state.ready && this.#socket?.connected) {
      for (const item of this.#outbox.flush()) {
        this.#frame({ type: 'send', key: item.key, conversationId: item.conversationId, text: item.text });
      }
    }
    this.#set({ outbox: this.#outbox.items });
  }

  #onFrame(frame: ServerToAgent): void {
    switch (frame.type) {
      case 'snapshot': {
        const firstOnConnection = !this.#state.ready;
        for (const { lastMessage } of frame.conversations)
          if (lastMessage) this.#newest = newerMessage(this.#newest, lastMessage);
        // Inbox first, then `ready`: listeners see the snapshot as a load, not as a burst of new arrivals.
        this.#dispatch(frame);
        this.#set({ online: frame.agent.online, agentsOnline: frame.agentsOnline, ready: true });
        const { openId, messages } = this.#state.inbox;
        // The open conversation's history is asked for again, unless it is held and what it missed follows.
        const missedFollow = frame.resume === 'complete' && openId !== null && messages.has(openId);
        if (openId && (frame.resume === 'reload' || (firstOnConnection && !missedFollow)))
          this.#frame({ type: 'open', conversationId: openId });
        if (firstOnConnection) {
          this.#outbox.reconnected();
          this.#flush();
        }
        return;
      }
      case 'message':
        this.#newest = newerMessage(this.#newest, frame.message);
        this.#dispatch(frame);
        return;
      case 'ack': {
        const item = this.#outbox.ack(frame.key);
        if (item) {
          this.#dispatch({
            type: 'delivered',
            message: {
              id: frame.id,
              conversationId: item.conversationId,
              author: 'agent',
              authorName: this.#options.me.name,
              text: item.text.trim(),
              at: frame.at,
            },
          });
          this.#set({ outbox: this.#outbox.items });
        }
        return;
      }
      case 'error': {
        if (frame.key && this.#outbox.fail(frame.key, frame.message)) {
          this.#set({ outbox: this.#outbox.items });
        } else {
          this.#set({ notice: { message: frame.message, at: Date.now() } });
        }
        return;
      }
      case 'presence':
        this.#set({ agentsOnline: frame.agentsOnline });
        return;
      case 'conversation':
        if (this.#takenByAnother(frame.conversation)) this.remove(frame.conversation.id);
        else this.#dispatch(frame);
        return;
      case 'typing': {
        const previous = this.#typingTimers.get(frame.conversationId);
        if (previous) clearTimeout(previous);
        this.#typingTimers.delete(frame.conversationId);
        if (frame.typing) {
          const conversationId = frame.conversationId;
          this.#typingTimers.set(
            conversationId,
            setTimeout(() => {
              this.#typingTimers.delete(conversationId);
              this.#dispatch({ type: 'typing-expired', conversationId });
            }, TYPING_EXPIRES_MS),
          );
        }
        this.#dispatch(frame);
        return;
      }
      default:
        this.#dispatch(frame);
    }
  }

  /** For a plain agent: another agent took this chat, so it is no longer theirs to see (the server sends no more). */
  #takenByAnother(conversation: ConversationSummary): boolean {
    const { id, role } = this.#options.me;
    return (
      role === 'agent' &&
      conversation.status !== 'waiting' &&
      conversation.agentId !== undefined &&
      conversation.agentId !== id
    );
  }

  #dispatch(action: InboxAction): void {
    const inbox = reduceInbox(this.#state.inbox, action);
    if (inbox !== this.#state.inbox) this.#set({ inbox });
  }

  #set(patch: Partial<LiveState>): void {
    const previous = this.#state;
    const next = { ...previous, ...patch };
    const changed = (Object.keys(patch) as (keyof LiveState)[]).some((key) => previous[key] !== next[key]);
    if (!changed) return;
    this.#state = next;
    for (const listener of [...this.#listeners]) listener(next, previous);
  }
}
