import {
  addNote,
  type ConversationTarget,
  closeConversation,
  DepartmentError,
  findConversationTarget,
  getConversation,
  listMessages,
  listMissedAccountMessages,
  listNotes,
  listOpenConversations,
  recordSeen,
  releaseAgentConversations,
  setAgentOnline,
  TransferError,
  transferConversation,
} from '@parley/db/chat';
import {
  AgentFrame,
  type AgentFrame as AgentFrameType,
  AgentSocketQuery,
  type ChatMessage,
  CLOSE_CODES,
  endsSession,
  type ServerToAgent,
} from '@parley/protocol';
import { authenticateCookie, endSessionsOf } from '../auth/agent-session.ts';
import { AGENT_FRAME_ACCESS, canSeeConversation, grants, hasRight } from '../auth/rights.ts';
import { deliverAgentMessage } from '../chat/agent-messages.ts';
import {
  publishConversation,
  publishPresence,
  publishRequeued,
  publishStatusToVisitor,
  toAgents,
  toVisitor,
} from '../chat/notify.ts';
import { routeStartedConversation, runQueue } from '../chat/routing.ts';
import { iso, toChatMessage, toConversationSummary, toInternalNote } from '../chat/summaries.ts';
import { type BusMessage, topics } from '../delivery/bus.ts';
import { requestLanguage } from '../i18n/language.ts';
import { hasSameOrigin } from '../security/same-origin.ts';
import type { AgentAuth, Services } from '../services.ts';
import { DeliveredMessages } from './delivered-messages.ts';
import { headerValue, IGNORE_FRAMES, type SocketRoute } from './handshake.ts';
import type { SocketChannel } from './socket-channel.ts';

type Frame = AgentFrame;
type Transfer = Extract<AgentFrameType, { type: 'transfer' }>;

const keyOf = (frame: Frame): string | undefined => ('key' in frame ? frame.key : undefined);

/**
 * The most messages a resuming dashboard is sent after its snapshot. Beyond it the snapshot says `reload`, and the
 * dashboard reloads the histories it holds instead of taking a flood of frames.
 */
export const MAX_RESUMED_MESSAGES = 200;

/**
 * Where a snapshot's client stands: not resuming (`undefined`, a dashboard's first connection), resuming from a
 * message id, or resuming from a message this server cannot place (null: none delivered yet, or not a valid id).
 */
type ResumeFrom = string | null | undefined;

/**
 * One dashboard socket of a signed-in agent. It sees the conversations of the agent's own account only: every
 * lookup is scoped by the account id from the session, never by anything the client sends.
 */
class AgentConnection {
  #ready = false;
  #registered = false;
  #stopped = false;
  #cancelExpiry: (() => void) | null = null;
  #expired = false;
  readonly #backlog: BusMessage[] = [];
  readonly #subscriptions: Array<() => void> = [];
  readonly #delivered = new DeliveredMessages();
  /**
   * For an agent who may not see every conversation: the ones this socket has been shown (waiting, or theirs), so
   * that messages and typing of other agents' chats are not sent to it.
   */
  readonly #shown: Set<string> | null;

  constructor(
    private readonly s: Services,
    private readonly channel: SocketChannel,
    private readonly auth: AgentAuth,
    private readonly resumeFrom: ResumeFrom,
  ) {
    this.#shown = hasRight(auth.agent.role, 'allConversations') ? null : new Set();
    channel.resumable = this;
  }

  get #accountId(): string {
    return this.auth.account.id;
  }

  /** Subscribes first and sends the snapshot after, holding back live events until then, so none is lost. */
  async start(): Promise<void> {
    const { s, auth } = this;
    if (this.#stopped) return;
    // The session ends on time on an open socket too, whether or not the dashboard sends anything.
    this.#cancelExpiry = s.clock.at(auth.session.expiresAt, () => this.#expire());
    const subscriptions = await Promise.all(
      [topics.agents(this.#accountId), topics.agent(auth.agent.id), topics.session(auth.session.id)].map(
        (topic) => s.bus.subscribe(topic, this.#onBus),
      ),
    );
    this.#subscriptions.push(...subscriptions);
    if (this.#stopped) return this.#unsubscribe();
    this.#registered = true;
    const change = await s.presence.connect(this.#accountId, auth.agent.id, auth.agent.online);
    await publishPresence(s, this.#accountId, change);
    await this.#snapshot(this.resumeFrom);
    // An agent who came (back) online has places for the chats waiting in the queue.
    if (auth.agent.online) await runQueue(s, this.#accountId);
  }

  /**
   * After this node's bus subscriptions were interrupted and are live again: a fresh snapshot, then the messages
   * of the conversations the agent may see written since the last one this socket delivered, as on a resume. The
   * anchor is taken now, before the bus delivers anything newer.
   */
  planCatchUp(): () => Promise<void> {
    const after = this.#delivered.anchor;
    return () =>
      this.channel.run(async () => {
        if (this.#ready && !this.#stopped) await this.#snapshot(after);
      });
  }

  /**
   * Sends the snapshot and, for a client that resumes, the messages it missed, holding back live events until then
   * so that none is lost or overtaken by older state; the held-back messages already sent are then left out.
   */
  async #snapshot(resumeFrom: ResumeFrom): Promise<void> {
    const { s, auth } = this;
    this.#ready = false;
    try {
      const conversations = (await listOpenConversations(s.db, this.#accountId)).filter((conversation) =>
        canSeeConversation(auth.agent, conversation),
      );
      this.#shown?.clear();
      for (const conversation of conversations) this.#shown?.add(conversation.id);
      const missed = typeof resumeFrom === 'string' ? await this.#missedSince(resumeFrom) : null;
      this.#send({
        type: 'snapshot',
        agent: { id: auth.agent.id, name: auth.agent.name, online: auth.agent.online },
        conversations: conversations.map((c) => toConversationSummary(c, this.s.fileLinks)),
        agentsOnline: await s.presence.count(this.#accountId),
        ...(resumeFrom === undefined ? {} : { resume: missed ? 'complete' : 'reload' }),
      });
      for (const message of this.#delivered.unseen(missed ?? [])) this.#send({ type: 'message', message });
      if (missed && resumeFrom) this.#delivered.heldUpTo(resumeFrom, Number.NEGATIVE_INFINITY);
      // The snapshot was read after subscribing: the client holds the stream up to its newest message.
      for (const { lastMessage } of conversations)
        if (lastMessage) this.#delivered.heldUpTo(lastMessage.id, lastMessage.createdAt);
    } finally {
      this.#ready = true;
      for (const message of this.#backlog.splice(0)) this.#deliver(message);
    }
  }

  /** Every message missed since `after`, or null when they are too many or `after` is unknown. */
  async #missedSince(after: string): Promise<ChatMessage[] | null> {
    const missed = await listMissedAccountMessages(this.s.db, {
      accountId: this.#accountId,
      after,
      limit: MAX_RESUMED_MESSAGES,
      ...(this.#shown ? { seenBy: this.auth.agent.id } : {}),
    });
    return missed?.complete ? missed.messages.map((m) => toChatMessage(m, this.s.fileLinks)) : null;
  }

  closed(): void {
    this.#stopped = true;
    this.#cancelExpiry?.();
    this.#unsubscribe();
    // A dropped connection leaves the agent counted for the grace period, so a reconnect goes unnoticed.
    this.#inBackground(this.#leavePresence({ grace: true }), 'presence was not updated');
  }

  #unsubscribe(): void {
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
  }

  /** Work a socket event starts but nobody waits for: a failure is logged, never lost silently. */
  #inBackground(work: Promise<unknown>, what: string): void {
    work.catch((error: unknown) => this.s.log.error(what, error));
  }

  async #leavePresence(options: { grace: boolean }): Promise<void> {
    if (!this.#registered) return;
    this.#registered = false;
    const { s, auth } = this;
    const change = await s.presence.disconnect(this.#accountId, auth.agent.id, options);
    await publishPresence(s, this.#accountId, change);
    // A sign-in that ended on another node reaches this socket through the bus: if it was the agent's last socket
    // anywhere, the chats they were answering go back to the queue from here.
    if (!options.grace && !(await s.presence.isConnected(this.#accountId, auth.agent.id))) {
      await publishRequeued(
        s,
        this.#accountId,
        await releaseAgentConversations(s.db, { accountId: this.#accountId, agentId: auth.agent.id }),
      );
      await runQueue(s, this.#accountId, { moved: true });
    }
  }

  /** The session's lifetime is over: this sign-in ends everywhere, as if signed out. */
  #expire(): void {
    if (this.#stopped || this.#expired) return;
    this.#expired = true;
    const { s, auth } = this;
    this.#inBackground(this.#leavePresence({ grace: false }), 'presence was not updated');
    this.channel.close(CLOSE_CODES.sessionExpired, 'session expired');
    endSessionsOf(s, { accountId: this.#accountId, agentId: auth.agent.id }, 'expired', {
      sessionId: auth.session.id,
    }).catch((error: unknown) => s.log.error('an expired session could not be ended', error));
  }

  receive(data: unknown): void {
    this.channel.receive(data, AgentFrame, (frame) => this.#handle(frame));
  }

  readonly #onBus = (message: BusMessage): void => {
    if (this.#ready || message.kind === 'disconnect') this.#deliver(message);
    else this.#backlog.push(message);
  };

  #deliver(message: BusMessage): void {
    // Checked on every outgoing frame as well as by the timer: nothing reaches a socket whose session is over.
    if (message.kind === 'frame' && this.s.clock.now() >= this.auth.session.expiresAt) this.#expire();
    else if (message.kind === 'disconnect') {
      // A sign-in that ended (the account's closing too) takes the agent away at once; a shutdown keeps the grace.
      if (endsSession(message.code))
        this.#inBackground(this.#leavePresence({ grace: false }), 'presence was not updated');
      this.channel.close(message.code, message.reason);
    } else if (
      message.skip !== this.channel.id &&
      this.#mayReceive(message.frame) &&
      this.#delivered.admit(message.frame)
    )
      this.channel.send(message.frame);
  }

  /**
   * Whether a frame for the account's agents may go to this socket: for an agent who may not see every
   * conversation, only frames about the conversations they may see. A conversation taken by another agent or closed
   * is shown once more, so the dashboard drops it, and nothing of it after.
   */
  #mayReceive(frame: Extract<BusMessage, { kind: 'frame' }>['frame']): boolean {
    const shown = this.#shown;
    if (!shown) return true;
    if (frame.type === 'conversation') {
      const conversation = (frame as Extract<ServerToAgent, { type: 'conversation' }>).conversation;
      if (canSeeConversation(this.auth.agent, conversation)) {
        shown.add(conversation.id);
        return true;
      }
      return shown.delete(conversation.id);
    }
    if (frame.type === 'message')
      return shown.has((frame as Extract<ServerToAgent, { type: 'message' }>).message.conversationId);
    if (frame.type === 'note')
      return shown.has((frame as Extract<ServerToAgent, { type: 'note' }>).note.conversationId);
    if (frame.type === 'typing' || frame.type === 'seen')
      return shown.has((frame as Extract<ServerToAgent, { type: 'typing' | 'seen' }>).conversationId);
    return true;
  }

  #send(frame: ServerToAgent): void {
    this.channel.send(frame);
  }

  async #handle(frame: Frame): Promise<void> {
    if (!this.channel.open) return;
    if (this.s.clock.now() >= this.auth.session.expiresAt) return this.#expire();
    if (!grants(this.auth.agent.role, AGENT_FRAME_ACCESS[frame.type]))
      return this.channel.error('forbidden', 'your role in this account does not allow this', keyOf(frame));
    switch (frame.type) {
      case 'ping':
        return this.#send({ type: 'pong' });
      case 'open':
        return this.#open(frame.conversationId);
      case 'send':
        return this.#message(frame.key, frame.conversationId, frame.text);
      case 'typing':
        return this.#typing(frame.conversationId, frame.typing);
      case 'seen':
        return this.#seen(frame.conversationId, frame.id);
      case 'close':
        return this.#close(frame.conversationId);
      case 'status':
        return this.#status(frame.online);
      case 'note':
        return this.#note(frame.key, frame.conversationId, frame.text);
      case 'transfer':
        return this.#transfer(frame);
    }
  }

  /**
   * The conversation a frame names, if this agent may see it; otherwise the error frame is sent and null returned.
   */
  async #target(conversationId: string, key?: string): Promise<ConversationTarget | null> {
    const target = await findConversationTarget(this.s.db, this.#accountId, conversationId);
    if (!target) this.channel.error('not_found', 'there is no such conversation', key);
    else if (!canSeeConversation(this.auth.agent, target))
      this.channel.error('forbidden', 'this conversation is another agent’s', key);
    else return target;
    return null;
  }

  async #open(conversationId: string): Promise<void> {
    const conversation = await this.#target(conversationId);
    if (!conversation) return;
    const messages = (await listMessages(this.s.db, this.#accountId, conversation.id)).map((m) =>
      toChatMessage(m, this.s.fileLinks),
    );
    for (const message of messages) this.#delivered.sent(message);
    const notes = (await listNotes(this.s.db, this.#accountId, conversation.id)).map(toInternalNote);
    this.#send({ type: 'history', conversationId: conversation.id, messages, notes });
  }

  async #message(key: string, conversationId: string, text: string): Promise<void> {
    const arrived = performance.now();
    const { s, auth } = this;
    const target = await this.#target(conversationId, key);
    if (!target) return;
    if (target.status === 'closed')
      return this.channel.error('conversation_closed', 'this conversation has ended', key);
    const result = await s.writer.append({
      conversationId: target.id,
      accountId: this.#accountId,
      visitorId: target.visitorId,
      author: 'agent',
      agentId: auth.agent.id,
      body: text,
      clientKey: key,
    });
    const at = iso(result.message.createdAt);
    this.#send({ type: 'ack', key, id: result.message.id, at });
    this.#delivered.sent({ id: result.message.id, at });
    await deliverAgentMessage(s, {
      accountId: this.#accountId,
      agentId: auth.agent.id,
      conversation: target,
      message: result.message,
      skip: this.channel.id,
    });
    s.metrics.delivered(performance.now() - arrived);
  }

  async #typing(conversationId: string, typing: boolean): Promise<void> {
    const target = await this.#target(conversationId);
    if (!target) return;
    if (target.status === 'closed') return;
    await toVisitor(
      this.s,
      { accountId: this.#accountId, chatIdHash: target.chatIdHash },
      { type: 'typing', name: this.auth.agent.publicName, typing },
    );
  }

  /**
   * The agent has seen a conversation up to a message: kept with the conversation and told to the visitor. A message
   * of another conversation is refused; an older one than an agent already saw changes nothing.
   */
  async #seen(conversationId: string, messageId: string): Promise<void> {
    const target = await this.#target(conversationId);
    if (!target) return;
    const now = this.s.clock.now();
    const outcome = await recordSeen(this.s.db, {
      accountId: this.#accountId,
      conversationId: target.id,
      by: 'agent',
      messageId,
      now,
    });
    if (outcome === 'unknown')
      return this.channel.error('not_found', 'there is no such message in this conversation');
    if (outcome === 'recorded')
      await toVisitor(
        this.s,
        { accountId: this.#accountId, chatIdHash: target.chatIdHash },
        { type: 'seen', id: messageId, at: iso(now) },
      );
  }

  async #close(conversationId: string): Promise<void> {
    const { s } = this;
    if (!(await this.#target(conversationId))) return;
    if (await closeConversation(s.db, { accountId: this.#accountId, conversationId })) {
      const closedBy = { by: 'agent', name: this.auth.agent.publicName } as const;
      const conversation = await publishConversation(s, this.#accountId, conversationId, closedBy);
      if (conversation) await publishStatusToVisitor(s, conversation, closedBy);
      // A place is free, or a waiting chat left the queue.
      await runQueue(s, this.#accountId, { moved: true });
      return;
    }
    const conversation = await getConversation(s.db, this.#accountId, conversationId);
    if (!conversation) return this.channel.error('not_found', 'there is no such conversation');
    // Already closed (perhaps by the visitor or another agent): tell this socket how it stands.
    this.#send({ type: 'conversation', conversation: toConversationSummary(conversation, s.fileLinks) });
  }

  async #status(online: boolean): Promise<void> {
    const { s, auth } = this;
    await setAgentOnline(s.db, this.#accountId, auth.agent.id, online);
    auth.agent.online = online;
    const change = await s.presence.setOnline(this.#accountId, auth.agent.id, online);
    await publishPresence(s, this.#accountId, change);
    if (change.before === change.after) this.#send({ type: 'presence', agentsOnline: change.after });
    if (online) await runQueue(s, this.#accountId);
  }

  /** An internal note: acknowledged, then shown to the account's agents who may see the chat, never its visitor. */
  async #note(key: string, conversationId: string, text: string): Promise<void> {
    const { s, auth } = this;
    const target = await this.#target(conversationId, key);
    if (!target) return;
    const note = await addNote(s.db, {
      accountId: this.#accountId,
      conversationId: target.id,
      agentId: auth.agent.id,
      body: text,
    });
    if (!note) return this.channel.error('not_found', 'there is no such conversation', key);
    this.#send({ type: 'ack', key, id: note.id, at: iso(note.createdAt) });
    await toAgents(s, this.#accountId, { type: 'note', note: toInternalNote(note) });
  }

  /**
   * Hands the chat to another agent, who has it at once, or to a department, whose routing gives it to one of its
   * agents or queues it. The visitor sees who joined; the note goes to agents only.
   */
  async #transfer(frame: Transfer): Promise<void> {
    const { s, auth } = this;
    const target = await this.#target(frame.conversationId);
    if (!target) return;
    let transferred: Awaited<ReturnType<typeof transferConversation>>;
    try {
      transferred = await transferConversation(s.db, {
        accountId: this.#accountId,
        conversationId: target.id,
        byAgentId: auth.agent.id,
        to: frame.to,
        note: frame.note ?? null,
      });
    } catch (error) {
      return this.#transferRefused(error);
    }
    if (transferred.note)
      await toAgents(s, this.#accountId, { type: 'note', note: toInternalNote(transferred.note) });
    const conversation = await publishConversation(s, this.#accountId, target.id);
    if (conversation) await publishStatusToVisitor(s, conversation);
    if ('departmentId' in frame.to) await routeStartedConversation(s, this.#accountId, target.id);
    // This agent has a place free now.
    await runQueue(s, this.#accountId);
  }

  /** A refused transfer as the error frame the dashboard gets; any other failure is the server's. */
  #transferRefused(error: unknown): void {
    if (error instanceof DepartmentError)
      this.channel.error('not_found', 'there is no such department in this account');
    else if (!(error instanceof TransferError)) throw error;
    else if (error.code === 'conversation_closed')
      this.channel.error('conversation_closed', 'this conversation has ended');
    else if (error.code === 'unknown_agent')
      this.channel.error('not_found', 'there is no such agent in this account');
    else this.channel.error('not_found', 'there is no such conversation');
  }
}

/** `GET /ws/agent`: the dashboard's socket, for signed-in agents on pages of this server only. */
export function agentSocket(s: Services): SocketRoute {
  return async ({ headers, query }) => {
    // Browsers send Origin on every WebSocket handshake; checking it stops other sites riding the agent's cookie.
    const sameOrigin = hasSameOrigin(
      { origin: headers.origin, host: headers.host, secFetchSite: headerValue(headers, 'sec-fetch-site') },
      s.config.publicUrl,
    );
    const auth = sameOrigin ? await authenticateCookie(s, headers.cookie) : null;
    // A dashboard resuming from a message id that is not one is served as if the id were unknown.
    const asked = AgentSocketQuery.safeParse(Object.fromEntries(query));
    const resumeFrom: ResumeFrom = query.has('after') ? (asked.success ? asked.data.after : null) : undefined;
    return (channel, accessLog) => {
      // Nothing is learnt later that the line could be linked to, so it is written now.
      accessLog.finish();
      if (!sameOrigin) {
        channel.close(CLOSE_CODES.policy, 'origin not allowed');
        return IGNORE_FRAMES;
      }
      if (!auth) {
        channel.close(CLOSE_CODES.policy, 'not signed in');
        return IGNORE_FRAMES;
      }
      // The dashboard's language: the one the agent chose, or while they have not, their browser's.
      channel.language = auth.agent.language ?? requestLanguage(headerValue(headers, 'accept-language'));
      const connection = new AgentConnection(s, channel, auth, resumeFrom);
      channel.enqueue(() => connection.start());
      return connection;
    };
  };
}
