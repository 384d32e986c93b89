import type { IncomingHttpHeaders } from 'node:http';
import {
  accountSuspension,
  agentInitialsByPublicName,
  countsMailPerRecipient,
  DEFAULT_FILE_KINDS,
  getWebsite,
  getWebsiteByPublicKey,
  hashChatId,
  initialsOf,
  isOpenAt,
  isTimeZone,
  MailLimitError,
  NO_VISITOR_CONTEXT,
  newId,
  nextChangeAt,
  normalizeOrigin,
  queueMail,
  queueTranscript,
  recordConsent,
  visitorOptedOut,
  type Website,
} from '@parley/db';
import {
  type Account,
  accountRoutesChats,
  closeConversation,
  ensureVisitor,
  findActiveBlock,
  findOpenConversationId,
  findVisitor,
  findVisitorByChatIdHash,
  findVisitorConversation,
  forgetChatId,
  getAccount,
  getAccountByPublicKey,
  getVisitor,
  listAgents,
  listMessages,
  listMissedMessages,
  listQueue,
  listWebsiteDepartments,
  type MessageRecord,
  OPEN_CONVERSATION,
  rateConversation,
  recordPageVisit,
  recordSeen,
  saveOfflineMessage,
  setBlockNetwork,
  touchVisitor,
  updateVisitorProfile,
  type Visitor,
  type VisitorContextValues,
  type VisitorKey,
  websiteOffersDepartment,
} from '@parley/db/chat';
import {
  type ChatSettings,
  CLOSE_CODES,
  type ClosedBy,
  type ServerToVisitor,
  type VisitorContextItems,
  VisitorFrame,
  type WidgetLanguage,
} from '@parley/protocol';
import { fileUploadPath } from '@parley/widget';
import type { AccessLogHandle } from '../access-log/access-log.ts';
import { publishConversation, publishStatusToVisitor, toAgents, toVisitor } from '../chat/notify.ts';
import { routeStartedConversation, runQueue } from '../chat/routing.ts';
import { iso, seenReceipt, toChatMessage } from '../chat/summaries.ts';
import { transcriptMail } from '../chat/transcript.ts';
import { clientNetwork, mayStartConversation, NOT_AVAILABLE } from '../chat/unwanted-visitors.ts';
import { type BusMessage, topics } from '../delivery/bus.ts';
import { UPLOAD_TOKEN_MS, uploadToken } from '../files/upload-token.ts';
import { AGENT_MAIL_STRINGS, agentMailLanguage } from '../mail/agent-mail-strings.ts';
import { fillIn, visitorMailLanguage } from '../mail/visitor-mail-strings.ts';
import { privacySignals } from '../privacy/privacy-signals.ts';
import { hasSameOrigin } from '../security/same-origin.ts';
import type { Services } from '../services.ts';
import { DeliveredMessages } from './delivered-messages.ts';
import { headerValue, IGNORE_FRAMES, type SocketRoute } from './handshake.ts';
import { maskedPath } from './masked-path.ts';
import { SharedAccounts } from './shared-accounts.ts';
import { signalChatId, visitorIdFromSignalChatId } from './signal-chat-id.ts';
import type { SocketChannel } from './socket-channel.ts';
import { type UserAgentFamily, userAgentFamily } from './user-agent-family.ts';
import { canonicalLocale, countryFromLocale, newChatId, normalizeCountry } from './visitor-context.ts';

/** A closed conversation stays on the visitor's screen this long: time to rate it or ask for its transcript. */
export const RECENT_CLOSED_MS = 60 * 60 * 1000;
/** How often a visitor's last-seen time is refreshed while they chat. */
const TOUCH_EVERY_MS = 60_000;
/** The visitor ended their conversation (End chat, or turning chat off): both sides are told so. */
const BY_VISITOR: ClosedBy = { by: 'visitor' };

type Frame = VisitorFrame;
type Hello = Extract<Frame, { type: 'hello' }>;

interface Greeting {
  chatId: string;
  /** How the visitor's row is found: by the chat-id hash, or under a privacy signal by the id the chat id carries. */
  key: VisitorKey;
  /** The key of the topic this visitor's sockets share (the `VISITOR_SOCKET_KEY` of their row). */
  topic: string;
  persistent: boolean;
  /** Stored with the language alone unless the website shows the country, which a locale's region would tell. */
  locale: string | null;
  /** What the website shows agents of this visitor; every item null where it is off, all of them under a signal. */
  context: Required<VisitorContextValues>;
}

/**
 * What the handshake told: a privacy signal in the headers, the country a proxy put in a header, the browser's and
 * system's family (the User-Agent itself is not kept), and the network.
 */
interface HandshakeContext {
  privacySignal: boolean;
  headerCountry: string | null;
  userAgent: UserAgentFamily;
  /** SEC-1: the network of the client's address (its /24 or /48), checked against blocks and never stored else. */
  network: string | null;
}

/**
 * One visitor's socket. Nothing is stored until the visitor sends something (a message, their profile or an
 * offline message): opening the widget leaves no row behind.
 */
class VisitorConnection {
  #greeting: Greeting | null = null;
  /**
   * The language the visitor's mail is written in, from the hello's locale. Kept on the socket, not in the store,
   * so that it holds under a privacy signal too: a transcript is only ever sent while the visitor's socket is open.
   */
  #mailLanguage: WidgetLanguage = 'en';
  #visitorId: string | null = null;
  #optedOut = false;
  /**
   * Whether the visitor's conversation is open, as far as this socket knows: while it is, a message starts none and
   * the flood limit is not asked (SEC-1), so the message path costs nothing more.
   */
  #inConversation = false;
  #lastTouch = 0;
  #closed = false;
  readonly #subscriptions: Array<() => void> = [];
  readonly #delivered = new DeliveredMessages();
  /** For a website that shows agents by initials: each agent's public name and their initials. */
  #initials: Map<string, string> | null = null;
  /** The department the visitor chose in the pre-chat form: a chat this socket starts is routed to it. */
  #departmentId: string | null = null;

  constructor(
    private readonly s: Services,
    private readonly channel: SocketChannel,
    private readonly account: Account,
    /** The website the widget is on; null for an account that has none stored (it then has the defaults). */
    private website: Website | null,
    private readonly handshake: HandshakeContext,
    private readonly accessLog: AccessLogHandle,
  ) {
    channel.resumable = this;
  }

  receive(data: unknown): void {
    this.channel.receive(data, VisitorFrame, (frame) => this.#handle(frame));
  }

  closed(): void {
    this.#closed = true;
    this.#cancelHoursTimer();
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
  }

  #send(frame: ServerToVisitor): void {
    this.channel.send(this.#asWebsiteShows(frame));
  }

  readonly #onBus = (message: BusMessage): void => {
    if (message.kind === 'disconnect') {
      if (message.blockId) this.#giveNetwork(message.blockId);
      this.channel.close(message.code, message.reason);
    } else if (message.skip !== this.channel.id && this.#delivered.admit(message.frame)) {
      const frame = message.frame as ServerToVisitor;
      if (frame.type === 'conversation' && frame.status === 'closed') this.#inConversation = false;
      this.channel.send(this.#asWebsiteShows(frame));
    }
  };

  /** SEC-1: a block made without a network takes the one this socket connects from (the first socket's to answer). */
  #giveNetwork(blockId: string): void {
    const { network } = this.handshake;
    if (network === null) return;
    setBlockNetwork(this.s.db, { accountId: this.account.id, blockId, network }).catch((error: unknown) =>
      this.s.log.error('a block did not get its network', error),
    );
  }

  /** SEC-1: whether a block of the account keeps this visitor out, by their known chat id or their network. */
  async #blocked(greeting: Greeting, known: Visitor | null): Promise<boolean> {
    const chatIdHash = known && 'chatIdHash' in greeting.key ? greeting.key.chatIdHash : null;
    const block = await findActiveBlock(this.s.db, {
      accountId: this.account.id,
      chatIdHash,
      network: this.handshake.network,
      now: this.s.clock.now(),
    });
    return block !== null;
  }

  /** Whether agents answer on this website now: outside its working hours the widget offers the offline form. */
  #withinHours(): boolean {
    return isOpenAt(this.website?.hours ?? null, this.s.clock.now());
  }

  /** What a visitor sees of a frame on this website: no agent outside its hours, agents' initials if it says so. */
  #asWebsiteShows(frame: ServerToVisitor): ServerToVisitor {
    if (frame.type === 'presence' && frame.agentsOnline && !this.#withinHours())
      return { ...frame, agentsOnline: false };
    if (this.website?.agentDisplay !== 'initials') return frame;
    switch (frame.type) {
      case 'welcome':
        return {
          ...frame,
          conversation:
            frame.conversation?.agentName === undefined
              ? frame.conversation
              : { ...frame.conversation, agentName: this.#initialsFor(frame.conversation.agentName) },
          messages: frame.messages.map((message) =>
            message.authorName === undefined
              ? message
              : { ...message, authorName: this.#initialsFor(message.authorName) },
          ),
        };
      case 'message':
        return frame.message.authorName === undefined
          ? frame
          : {
              ...frame,
              message: { ...frame.message, authorName: this.#initialsFor(frame.message.authorName) },
            };
      case 'conversation':
        return {
          ...frame,
          ...(frame.agentName === undefined ? {} : { agentName: this.#initialsFor(frame.agentName) }),
          ...(frame.closedBy?.by === 'agent'
            ? { closedBy: { by: 'agent' as const, name: this.#initialsFor(frame.closedBy.name) } }
            : {}),
        };
      case 'typing':
        return { ...frame, name: this.#initialsFor(frame.name) };
      default:
        return frame;
    }
  }

  /** The initials shown for the agent whose public name is `name`; made from that name for an agent not yet known. */
  #initialsFor(name: string): string {
    return this.#initials?.get(name) ?? initialsOf(name);
  }

  #cancelHoursTimer: () => void = () => {};

  /**
   * When the website next opens or closes, the visitor hears whether anyone is there now: a widget opened before
   * closing time offers the offline form once it has passed, and the chat once the website opens again.
   */
  #followHours(): void {
    this.#cancelHoursTimer();
    const next = nextChangeAt(this.website?.hours ?? null, this.s.clock.now());
    if (next === null || this.#closed) return;
    this.#cancelHoursTimer = this.s.clock.at(next, () => {
      this.channel.enqueue(async () => {
        if (this.#closed || !this.channel.open) return;
        this.#send({ type: 'presence', agentsOnline: await this.#agentsOnline() });
        this.#followHours();
      });
    });
  }

  /** Whether the visitor may chat now: within the website's hours, the account not suspended, an agent online. */
  async #agentsOnline(): Promise<boolean> {
    const { s, account } = this;
    return (
      this.#withinHours() &&
      !(await accountSuspension(s.db, account.id)) &&
      (await s.presence.count(account.id)) > 0
    );
  }

  /** Reads the account's agents' initials, for a website that shows them; again at each hello and new agent name. */
  async #loadInitials(): Promise<void> {
    if (this.website?.agentDisplay === 'initials')
      this.#initials = await agentInitialsByPublicName(this.s.db, this.account.id);
  }

  /**
   * After this node's bus subscriptions were interrupted and are live again: sends the messages of the visitor's
   * conversation written since the last one this socket delivered (reading back `MAX_CLOCK_SKEW_MS`), leaving out
   * any it already sent; all of them if it delivered none or that one is gone. The anchor is taken now, before
   * the bus delivers anything newer; the read waits for the frames being handled, so it follows the hello.
   */
  planCatchUp(): () => Promise<void> {
    const after = this.#delivered.anchor;
    return () => this.channel.run(() => this.#catchUp(after));
  }

  async #catchUp(after: string | null): Promise<void> {
    if (!this.#greeting || this.#optedOut || !this.channel.open) return;
    const visitorId = await this.#knownVisitorId();
    const conversation = visitorId ? await this.#shownConversation(visitorId) : null;
    if (!conversation) return;
    const { messages } = await this.#messagesAfter(conversation.id, after);
    for (const message of this.#delivered.unseen(messages.map((m) => toChatMessage(m, this.s.fileLinks))))
      this.#send({ type: 'message', message });
    // A change of the chat's status published meanwhile was lost as well: the widget hears how it stands now.
    this.#send({
      type: 'conversation',
      status: conversation.status,
      ...(conversation.agentName ? { agentName: conversation.agentName } : {}),
    });
  }

  /**
   * The conversation's messages written since `after` (see `listMissedMessages`), or all of them when `after` is
   * null or not one of its messages; `known` says which.
   */
  async #messagesAfter(
    conversationId: string,
    after: string | null,
  ): Promise<{ messages: MessageRecord[]; known: boolean }> {
    const { s, account } = this;
    const missed = after
      ? await listMissedMessages(s.db, { accountId: account.id, conversationId, after })
      : null;
    return missed
      ? { messages: missed, known: true }
      : { messages: await listMessages(s.db, account.id, conversationId), known: false };
  }

  async #handle(frame: Frame): Promise<void> {
    if (this.#optedOut || !this.channel.open) return;
    if (frame.type === 'ping') return this.#send({ type: 'pong' });
    if (frame.type === 'opt_out') return this.#optOut(frame.text, frame.language);
    if (frame.type === 'hello') return this.#hello(frame);
    const greeting = this.#greeting;
    if (!greeting) {
      const key = 'key' in frame ? frame.key : undefined;
      return this.channel.error('not_ready', 'send hello first', key);
    }
    switch (frame.type) {
      case 'send':
        return this.#message(greeting, frame.key, frame.text);
      case 'typing':
        return this.#typing(frame.typing);
      case 'seen':
        return this.#seen(frame.id);
      case 'profile':
        return this.#profile(greeting, frame);
      case 'offline_message':
        return this.#offlineMessage(greeting, frame);
      case 'transcript':
        return this.#transcript(frame.email);
      case 'rate':
        return this.#rate(frame.rating, frame.comment);
      case 'end':
        return this.#end();
      case 'page':
        return this.#page(greeting, frame.page);
      case 'upload_token':
        return this.#uploadToken();
    }
  }

  async #hello(frame: Hello): Promise<void> {
    if (this.#greeting) return this.channel.error('invalid_frame', 'hello was already sent on this socket');
    const { s, account } = this;
    // SIG-1: GPC or DNT in the handshake headers, or sent by the widget (browsers leave Sec-GPC off WebSocket
    // handshakes, so the widget passes on what the browser and the page said).
    const signal = this.handshake.privacySignal || frame.privacySignal === true;
    if (signal) this.accessLog.withoutClientDetails();
    this.#mailLanguage = visitorMailLanguage(frame.locale);
    // The website's settings as they are now: an owner may have changed them since this socket opened.
    if (this.website) this.website = (await getWebsite(s.db, account.id, this.website.id)) ?? this.website;
    const { known, greeting } = signal ? await this.#signalGreeting(frame) : await this.#usualGreeting(frame);
    // Checked once, here, not per message: a blocked visitor's socket closes before it hears anything.
    if (await this.#blocked(greeting, known)) return this.channel.close(CLOSE_CODES.blocked, NOT_AVAILABLE);
    this.#greeting = greeting;
    this.channel.owner = topics.chat(account.id, greeting.topic);
    if (this.#closed) return;
    // Live before the store is read for the welcome, so that nothing said in between is missed.
    const subscriptions = await Promise.all([
      s.bus.subscribe(topics.chat(account.id, greeting.topic), this.#onBus),
      s.bus.subscribe(topics.visitors(account.id), this.#onBus),
    ]);
    if (this.#closed) {
      for (const end of subscriptions) end();
      return;
    }
    this.#subscriptions.push(...subscriptions);
    let conversation: Awaited<ReturnType<typeof findVisitorConversation>> = null;
    if (known) {
      this.#remember(known.id);
      // An item the website no longer shows is cleared; one it shows follows this visit.
      await touchVisitor(s.db, {
        accountId: account.id,
        visitorId: known.id,
        persistent: greeting.persistent,
        ...greeting.context,
      });
      this.#lastTouch = Date.now();
      conversation = await this.#shownConversation(known.id);
      this.#inConversation = conversation !== null && conversation.status !== 'closed';
      // Agents in the chat see the page the visitor is on now.
      if (conversation && conversation.status !== 'closed') {
        await this.#recordPage(greeting, known.id, conversation.id);
        await publishConversation(s, account.id, conversation.id);
      }
    }
    // A widget that reconnects gets only what it does not hold.
    const shown = conversation ? await this.#messagesAfter(conversation.id, frame.after ?? null) : null;
    if (shown?.known && frame.after) this.#delivered.heldUpTo(frame.after, Number.NEGATIVE_INFINITY);
    const messages = (shown?.messages ?? []).map((m) => toChatMessage(m, s.fileLinks));
    for (const message of messages) this.#delivered.streamed(message);
    const current = (await getAccount(s.db, account.id)) ?? account;
    await this.#loadInitials();
    const settings = chatSettings(this.website, current);
    if (this.website) settings.departments = await listWebsiteDepartments(s.db, account.id, this.website.id);
    const seen = conversation && seenReceipt(conversation.agentSeenId, conversation.agentSeenAt);
    this.#send({
      type: 'welcome',
      chatId: greeting.chatId,
      // A suspended account's widgets show the offline form: no agent can be online for it; nor outside the
      // website's working hours.
      agentsOnline: await this.#agentsOnline(),
      preChatForm: settings.preChat.name !== 'off' || settings.preChat.email !== 'off',
      settings,
      conversation: conversation
        ? {
            id: conversation.id,
            status: conversation.status,
            ...(conversation.agentName ? { agentName: conversation.agentName } : {}),
            ...(conversation.rating === null ? {} : { rated: true as const }),
            ...(seen ? { seen } : {}),
          }
        : null,
      messages,
    });
    if (conversation?.status === 'waiting') await this.#sendQueuePlace(conversation.id);
    this.#followHours();
  }

  /** A waiting chat's place in the queue, for a widget that just connected, where the account routes its chats. */
  async #sendQueuePlace(conversationId: string): Promise<void> {
    if (!(await accountRoutesChats(this.s.db, this.account.id))) return;
    const place = (await listQueue(this.s.db, this.account.id)).find(
      (p) => p.conversationId === conversationId,
    );
    if (place) this.#send({ type: 'queue', position: place.position });
  }

  /** Without a privacy signal: the visitor is recognised by the chat id the server once gave them. */
  async #usualGreeting(frame: Hello): Promise<{ known: Visitor | null; greeting: Greeting }> {
    const locale = canonicalLocale(frame.locale);
    // Only a chat id the server knows is kept: any other gets a fresh random one, so no client chooses its id.
    const known = frame.chatId
      ? await findVisitorByChatIdHash(this.s.db, this.account.id, hashChatId(frame.chatId))
      : null;
    const chatId = known && frame.chatId ? frame.chatId : newChatId();
    const chatIdHash = hashChatId(chatId);
    const shows = this.website?.context ?? NO_VISITOR_CONTEXT;
    return {
      known,
      greeting: {
        chatId,
        key: { chatIdHash },
        topic: chatIdHash,
        persistent: frame.persistent,
        locale: shows.country ? locale : languageOf(locale),
        context: this.#context(shows, frame, locale),
      },
    };
  }

  /** What the website shows agents of a visitor without a privacy signal: only the items it turned on. */
  #context(shows: VisitorContextItems, frame: Hello, locale: string | null): Required<VisitorContextValues> {
    const timeZone = frame.timeZone && isTimeZone(frame.timeZone) ? frame.timeZone : null;
    const { browser, system } = this.handshake.userAgent;
    return {
      currentPage: shows.pages ? maskedPath(frame.page) : null,
      country: shows.country ? (this.handshake.headerCountry ?? countryFromLocale(locale)) : null,
      timeZone: shows.localTime ? timeZone : null,
      browser: shows.browser ? browser : null,
      system: shows.browser ? system : null,
    };
  }

  /**
   * Adds the page the visitor is on to the trail of their open conversation, on a website that shows pages. Never
   * under a privacy signal: the greeting then holds no page.
   */
  async #recordPage(greeting: Greeting, visitorId: string, conversationId: string): Promise<void> {
    const path = greeting.context.currentPage;
    if (!path || !this.website?.context.pages) return;
    await recordPageVisit(this.s.db, {
      accountId: this.account.id,
      conversationId,
      visitorId,
      path,
    });
  }

  /**
   * SIG-1, under Global Privacy Control or Do Not Track: nothing beyond the conversation is kept (no page, country,
   * language or chat-id hash), and the visitor is recognised only while their chat is in progress, by the signed
   * chat id their session cookie carries from page to page, until they opt out. An earlier chat id is not looked up.
   */
  async #signalGreeting(frame: Hello): Promise<{ known: Visitor | null; greeting: Greeting }> {
    const { s, account } = this;
    const claimed = frame.chatId
      ? visitorIdFromSignalChatId(s.secrets.chatIdKey, account.id, frame.chatId)
      : null;
    const found = claimed ? await getVisitor(s.db, account.id, claimed) : null;
    // There is nothing to forget on opting out (CK-4), so an opt-out ends the signed chat id's use here.
    const inProgress =
      found &&
      (await this.#shownConversation(found.id)) &&
      !(await visitorOptedOut(s.db, account.id, found.id));
    const known = inProgress ? found : null;
    const visitorId = known?.id ?? newId('vis');
    return {
      known,
      greeting: {
        chatId: signalChatId(s.secrets.chatIdKey, account.id, visitorId),
        key: { visitorId },
        topic: visitorId,
        persistent: false,
        locale: null,
        context: { currentPage: null, country: null, timeZone: null, browser: null, system: null },
      },
    };
  }

  /** The conversation the widget shows: the open one, or one that ended within `RECENT_CLOSED_MS`. */
  #shownConversation(visitorId: string): ReturnType<typeof findVisitorConversation> {
    return findVisitorConversation(this.s.db, {
      accountId: this.account.id,
      visitorId,
      closedSince: Date.now() - RECENT_CLOSED_MS,
    });
  }

  #remember(visitorId: string): void {
    this.#visitorId = visitorId;
    this.accessLog.setVisitor(visitorId);
  }

  /** The visitor's row, created now if this is the first thing worth keeping. */
  async #ensureVisitor(greeting: Greeting): Promise<string> {
    if (this.#visitorId && Date.now() - this.#lastTouch < TOUCH_EVERY_MS) return this.#visitorId;
    const visitor = await ensureVisitor(this.s.db, {
      accountId: this.account.id,
      key: greeting.key,
      details: { persistent: greeting.persistent, locale: greeting.locale, ...greeting.context },
    });
    this.#lastTouch = Date.now();
    this.#remember(visitor.id);
    return visitor.id;
  }

  /** The visitor's id if a row exists (perhaps created from another tab), without creating one. */
  async #knownVisitorId(): Promise<string | null> {
    if (this.#visitorId) return this.#visitorId;
    const key = this.#greeting?.key;
    if (!key) return null;
    const visitor = await findVisitor(this.s.db, this.account.id, key);
    if (visitor) this.#remember(visitor.id);
    return visitor?.id ?? null;
  }

  async #message(greeting: Greeting, key: string, text: string): Promise<void> {
    const arrived = performance.now();
    const { s, account } = this;
    if (await accountSuspension(s.db, account.id))
      return this.channel.error(
        'forbidden',
        'nobody can chat for this site now; leave a message instead',
        key,
      );
    if (!this.#inConversation && !(await this.#mayStart()))
      return this.channel.error('busy', 'many chats are starting at once; try again shortly', key);
    const visitorId = await this.#ensureVisitor(greeting);
    const result = await s.writer.append({
      conversationId: OPEN_CONVERSATION,
      accountId: account.id,
      visitorId,
      author: 'visitor',
      body: text,
      clientKey: key,
      websiteId: this.website?.id ?? null,
      departmentId: this.#departmentId,
    });
    this.#inConversation = true;
    // Acknowledged only now that the row is committed; a resend gets the same id and is not stored again.
    const at = iso(result.message.createdAt);
    this.#send({ type: 'ack', key, id: result.message.id, at });
    this.#delivered.sent({ id: result.message.id, at });
    // A resend is published again: the node that stored it first may have died before telling anyone (or before
    // its acknowledgement left). Every client keeps one copy of each message id.
    if (result.conversationStarted)
      await this.#recordPage(greeting, visitorId, result.message.conversationId);
    if (result.conversationStarted || !result.created) {
      const conversation = await publishConversation(s, account.id, result.message.conversationId);
      if (conversation) await publishStatusToVisitor(s, conversation);
      if (conversation?.status === 'waiting') await routeStartedConversation(s, account.id, conversation.id);
    }
    const message = toChatMessage(result.message, s.fileLinks);
    await toAgents(s, account.id, { type: 'message', message });
    await toVisitor(
      s,
      { accountId: account.id, chatIdHash: greeting.topic },
      { type: 'message', message },
      this.channel.id,
    );
    s.metrics.delivered(performance.now() - arrived);
  }

  /**
   * SEC-1: before a message that may start a conversation: true when the visitor has one open already (another tab
   * started it), else when the account's flood limit lets one more start this minute, which counts it.
   */
  async #mayStart(): Promise<boolean> {
    const { s, account } = this;
    const visitorId = await this.#knownVisitorId();
    if (visitorId && (await findOpenConversationId(s.db, account.id, visitorId))) return true;
    return mayStartConversation(s, account.id);
  }

  /**
   * A token for the widget to upload files to the visitor's open conversation with (`upload-token.ts`), at the
   * upload address of the website it is on. None before the chat has begun, nor on a website that takes no files.
   */
  async #uploadToken(): Promise<void> {
    const { s, account } = this;
    if ((this.website?.fileKinds ?? DEFAULT_FILE_KINDS).length === 0)
      return this.channel.error('forbidden', 'this website takes no files');
    const visitorId = await this.#knownVisitorId();
    const conversationId = visitorId ? await findOpenConversationId(s.db, account.id, visitorId) : null;
    if (!visitorId || !conversationId)
      return this.channel.error('not_ready', 'files can be sent once the chat has begun');
    const widgetKey = this.website?.publicKey ?? account.publicKey;
    const expiresAt = s.clock.now() + UPLOAD_TOKEN_MS;
    this.#send({
      type: 'upload_token',
      token: uploadToken(s.secrets.fileKey, {
        accountId: account.id,
        conversationId,
        visitorId,
        widgetKey,
        expiresAt,
      }),
      path: fileUploadPath(widgetKey),
      expiresAt: iso(expiresAt),
    });
  }

  async #typing(typing: boolean): Promise<void> {
    const visitorId = await this.#knownVisitorId();
    const conversationId = visitorId
      ? await findOpenConversationId(this.s.db, this.account.id, visitorId)
      : null;
    if (conversationId) await toAgents(this.s, this.account.id, { type: 'typing', conversationId, typing });
  }

  /**
   * The visitor has seen their open conversation up to a message: kept with the conversation and told to its agents.
   * A message of any other conversation is refused; an older one than the visitor already saw changes nothing.
   */
  async #seen(messageId: string): Promise<void> {
    const { s, account } = this;
    const visitorId = await this.#knownVisitorId();
    const conversationId = visitorId ? await findOpenConversationId(s.db, account.id, visitorId) : null;
    if (!conversationId) return this.channel.error('not_found', 'there is no conversation to mark as seen');
    const now = s.clock.now();
    const outcome = await recordSeen(s.db, {
      accountId: account.id,
      conversationId,
      by: 'visitor',
      messageId,
      now,
    });
    if (outcome === 'unknown')
      return this.channel.error('not_found', 'there is no such message in your chat');
    if (outcome === 'recorded')
      await toAgents(s, account.id, {
        type: 'seen',
        conversationId,
        by: 'visitor',
        id: messageId,
        at: iso(now),
      });
  }

  async #profile(greeting: Greeting, frame: Extract<Frame, { type: 'profile' }>): Promise<void> {
    const { s, account } = this;
    if (frame.department !== undefined) {
      const offered = await websiteOffersDepartment(s.db, {
        accountId: account.id,
        websiteId: this.website?.id ?? null,
        departmentId: frame.department,
      });
      if (!offered) return this.channel.error('invalid_frame', 'this website offers no such department');
      this.#departmentId = frame.department;
    }
    const visitorId = await this.#ensureVisitor(greeting);
    await updateVisitorProfile(s.db, {
      accountId: account.id,
      visitorId,
      ...(frame.name === undefined ? {} : { name: frame.name }),
      ...(frame.email === undefined ? {} : { email: frame.email }),
    });
    const open = await findOpenConversationId(s.db, account.id, visitorId);
    if (open) await publishConversation(s, account.id, open);
    this.#send({ type: 'done', what: 'profile' });
  }

  /**
   * A single-page app moved on: the visitor's row, their conversation's trail and the agents in their chat follow,
   * as after a new hello. Under a privacy signal no page is kept at all (SIG-1), nor on a website that does not
   * show pages; before the visitor's row exists the page only waits in the greeting for the row to be made with it.
   */
  async #page(greeting: Greeting, page: string): Promise<void> {
    if ('visitorId' in greeting.key || !this.website?.context.pages) return;
    const current = maskedPath(page);
    if (!current || current === greeting.context.currentPage) return;
    greeting.context.currentPage = current;
    const { s, account } = this;
    const visitorId = await this.#knownVisitorId();
    if (!visitorId) return;
    await touchVisitor(s.db, {
      accountId: account.id,
      visitorId,
      persistent: greeting.persistent,
      currentPage: current,
    });
    this.#lastTouch = Date.now();
    const open = await findOpenConversationId(s.db, account.id, visitorId);
    if (!open) return;
    await this.#recordPage(greeting, visitorId, open);
    await publishConversation(s, account.id, open);
  }

  async #offlineMessage(
    greeting: Greeting,
    frame: Extract<Frame, { type: 'offline_message' }>,
  ): Promise<void> {
    const { s, account } = this;
    const visitorId = await this.#ensureVisitor(greeting);
    const { created, message } = await saveOfflineMessage(s.db, {
      accountId: account.id,
      visitorId,
      name: frame.name ?? null,
      email: frame.email,
      body: frame.text,
      clientKey: frame.key,
    });
    // Past the account's hourly limit the message waits in the dashboard, marked as held, without a mail.
    if (created && !message.mailHeld) {
      const current = (await getAccount(s.db, account.id)) ?? account;
      const owner = (await listAgents(s.db, account.id)).find((agent) => agent.role === 'owner');
      const to = current.contactEmail ?? owner?.email;
      // Written in the owner's chosen language: the visitor's page says nothing about the business's.
      const words = AGENT_MAIL_STRINGS[agentMailLanguage(owner?.language)];
      if (to)
        await queueMail(s.db, {
          kind: 'offline_message',
          to,
          accountId: account.id,
          visitorId,
          subject: frame.name
            ? fillIn(words.offlineMessageSubjectNamed, { name: frame.name })
            : words.offlineMessageSubject,
          body: [
            fillIn(words.offlineMessageIntro, { sender: frame.name ?? words.aVisitor, email: frame.email }),
            '',
            frame.text,
            '',
            words.offlineMessageOutro,
          ].join('\n'),
          headers: { 'Reply-To': frame.email },
        });
    }
    this.#send({ type: 'done', what: 'offline_message' });
  }

  async #transcript(email: string): Promise<void> {
    const { s, account } = this;
    if (this.website && !this.website.transcripts)
      return this.channel.error('forbidden', 'this website does not mail transcripts');
    const visitorId = await this.#knownVisitorId();
    const conversation = visitorId ? await this.#shownConversation(visitorId) : null;
    if (!visitorId || !conversation)
      return this.channel.error('not_found', 'there is no conversation to send yet');
    // The transcript names agents as the chat did: by their initials on a website that shows those.
    const messages = (await listMessages(s.db, account.id, conversation.id)).map((message) =>
      this.website?.agentDisplay === 'initials' && message.agentName !== null
        ? { ...message, agentName: this.#initialsFor(message.agentName) }
        : message,
    );
    const current = (await getAccount(s.db, account.id)) ?? account;
    // The limits are the store's, not this socket's: a reconnect or another tab does not reset them.
    try {
      await queueTranscript(s.db, {
        accountId: account.id,
        visitorId,
        conversationId: conversation.id,
        to: email,
        // CHG-1: the address's keyed hash is kept only once the version that declares it is in force here.
        recipientSecret: countsMailPerRecipient(s.content) ? s.secrets.mailLimitKey : undefined,
        ...transcriptMail(conversation, messages, {
          organization: current.organization,
          language: this.#mailLanguage,
        }),
      });
    } catch (error) {
      if (error instanceof MailLimitError) return this.channel.error(error.code, error.message);
      throw error;
    }
    this.#send({ type: 'done', what: 'transcript' });
  }

  async #rate(rating: number, comment: string | undefined): Promise<void> {
    const { s, account } = this;
    if (this.website && !this.website.ratings)
      return this.channel.error('forbidden', 'this website does not ask for ratings');
    const visitorId = await this.#knownVisitorId();
    const conversation = visitorId ? await this.#shownConversation(visitorId) : null;
    if (!conversation) return this.channel.error('not_found', 'there is no conversation to rate');
    if (conversation.status !== 'closed')
      return this.channel.error('not_ready', 'a conversation can be rated once it has ended');
    const trimmed = comment?.trim();
    await rateConversation(s.db, {
      accountId: account.id,
      conversationId: conversation.id,
      rating,
      comment: trimmed ? trimmed : null,
    });
    await publishConversation(s, account.id, conversation.id);
    this.#send({ type: 'done', what: 'rating' });
  }

  async #end(): Promise<void> {
    const { s, account } = this;
    this.#inConversation = false;
    const visitorId = await this.#knownVisitorId();
    const open = visitorId ? await findOpenConversationId(s.db, account.id, visitorId) : null;
    if (open && (await closeConversation(s.db, { accountId: account.id, conversationId: open }))) {
      const conversation = await publishConversation(s, account.id, open, BY_VISITOR);
      // Its agent has a place free, or the chats behind it in the queue move up.
      await runQueue(s, account.id, { moved: true });
      if (conversation) return publishStatusToVisitor(s, conversation, BY_VISITOR);
    }
    this.#send({ type: 'conversation', status: 'closed' });
  }

  /**
   * CK-4: the visitor turns chat off. The choice is recorded with the policy version, a hash of the exact text
   * shown and the language it was shown in; an open conversation ends; the server forgets the chat id; every socket
   * of this visitor closes.
   */
  async #optOut(text: string, language: WidgetLanguage): Promise<void> {
    const { s, account } = this;
    const visitorId = await this.#knownVisitorId();
    await recordConsent(s.db, {
      accountId: account.id,
      visitorId,
      scope: 'widget',
      choice: 'opt_out',
      policyVersion: s.policyVersion.version,
      language,
      text,
    });
    if (visitorId) {
      const open = await findOpenConversationId(s.db, account.id, visitorId);
      if (open && (await closeConversation(s.db, { accountId: account.id, conversationId: open })))
        await publishConversation(s, account.id, open, BY_VISITOR);
      await forgetChatId(s.db, account.id, visitorId);
    }
    this.#optedOut = true;
    this.#send({ type: 'done', what: 'opt_out' });
    if (this.#greeting)
      await s.bus.publish(topics.chat(account.id, this.#greeting.topic), {
        kind: 'disconnect',
        code: CLOSE_CODES.policy,
        reason: 'opted out',
      });
    this.channel.close(CLOSE_CODES.policy, 'opted out');
  }
}

/** The language of a locale without its region (`de-AT` → `de`), which would tell the country. */
function languageOf(locale: string | null): string | null {
  if (!locale) return null;
  try {
    return new Intl.Locale(locale).language;
  } catch {
    return null;
  }
}

/** What the chat shows on a website; an account without a stored website has the defaults and its pre-chat choice. */
function chatSettings(website: Website | null, account: Account): ChatSettings {
  if (!website)
    return {
      greeting: null,
      preChat: account.preChatForm ? { name: 'optional', email: 'required' } : { name: 'off', email: 'off' },
      transcripts: true,
      ratings: true,
      files: [...DEFAULT_FILE_KINDS],
    };
  return {
    greeting: website.greeting,
    preChat: { name: website.preChatName, email: website.preChatEmail },
    transcripts: website.transcripts,
    ratings: website.ratings,
    files: website.fileKinds,
  };
}

/** The website and account a widget's key names: a website's key, or an account's own key (its first website). */
export async function findWidgetOwner(
  s: Services,
  publicKey: string,
): Promise<{ account: Account; website: Website | null } | null> {
  const website = await getWebsiteByPublicKey(s.db, publicKey);
  if (website) {
    const account = await getAccount(s.db, website.accountId);
    return account ? { account, website } : null;
  }
  const account = await getAccountByPublicKey(s.db, publicKey);
  return account ? { account, website: null } : null;
}

/**
 * Whether a page of `origin` may open this website's chat: any origin until the owner lists some, and always
 * Parley's own pages (the dashboard's preview of the website).
 */
export function originAllowed(
  website: Website | null,
  headers: IncomingHttpHeaders,
  publicUrl: string | undefined,
): boolean {
  if (!website || website.origins.length === 0) return true;
  const origin = headerValue(headers, 'origin');
  if (origin === undefined) return false;
  if (hasSameOrigin({ origin, host: headerValue(headers, 'host'), secFetchSite: undefined }, publicUrl))
    return true;
  const normalized = normalizeOrigin(origin);
  return normalized !== null && website.origins.includes(normalized);
}

/**
 * `GET /ws/visitor?account=PUBLIC_KEY`: the key is a website's (or the account's own). The widget runs on
 * customers' sites, so the origins allowed are the website's, and any while it lists none.
 */
export function visitorSocket(s: Services): SocketRoute {
  const accounts = new SharedAccounts();
  return async ({ headers, query, remoteAddress }) => {
    const publicKey = query.get('account');
    const owner = publicKey && publicKey.length <= 100 ? await findWidgetOwner(s, publicKey) : null;
    const account = owner && accounts.share(owner.account);
    const website = owner?.website ?? null;
    const allowed = originAllowed(website, headers, s.config.publicUrl);
    const { gpc, dnt } = privacySignals((name) => headerValue(headers, name));
    const handshake: HandshakeContext = {
      privacySignal: gpc || dnt,
      headerCountry: s.config.countryHeader
        ? normalizeCountry(headerValue(headers, s.config.countryHeader))
        : null,
      userAgent: userAgentFamily(headerValue(headers, 'user-agent')),
      network: clientNetwork(remoteAddress),
    };
    return (channel, accessLog) => {
      if (!account) {
        channel.close(CLOSE_CODES.policy, 'unknown account');
        return IGNORE_FRAMES;
      }
      if (!allowed) {
        channel.close(CLOSE_CODES.policy, 'origin not allowed');
        return IGNORE_FRAMES;
      }
      return new VisitorConnection(s, channel, account, website, handshake, accessLog);
    };
  };
}
