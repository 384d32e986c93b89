import { z } from 'zod';

/**
 * Parley's WebSocket protocol: JSON text frames, one object per frame, each with a `type`.
 * The widget imports only the types (no zod in the browser bundle); the server validates every frame with these
 * schemas. docs/protocol.md describes the exchange.
 */

export const LIMITS = {
  /** Largest frame the server reads, in bytes; larger frames are refused with `frame_too_large`. */
  maxFrameBytes: 16 * 1024,
  /** Longest message text, in characters. */
  maxMessageChars: 4000,
  /** Frames a socket may send per second, sustained, before `rate_limited`; bursts up to `burstFrames`. */
  framesPerSecond: 20,
  burstFrames: 40,
} as const;

const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'key must be 8 to 64 letters, digits, _ or -' });
const MessageText = z
  .string()
  .transform((text) => text.trim())
  .pipe(
    z
      .string()
      .min(1, { message: 'message is empty' })
      .max(LIMITS.maxMessageChars, {
        message: `message is longer than ${LIMITS.maxMessageChars} characters`,
      }),
  );
export const ChatId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'chatId is not a Parley chat id' });
const Email = z.string().trim().max(254).email({ message: 'email address is not valid' });
const Name = z.string().trim().min(1).max(80);
const Id = z.string().min(1).max(64);

/** The languages the widget and the mails a visitor gets speak; a website offers some of them, the first its default. */
export const WIDGET_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl'] as const;
export type WidgetLanguage = (typeof WIDGET_LANGUAGES)[number];

// ---- visitor → server ----------------------------------------------------------------------------------------------

export const VisitorHello = z.object({
  type: z.literal('hello'),
  /** The chat id from the widget's cookie, when the visitor already has one. */
  chatId: ChatId.optional(),
  /** False when the chat-id cookie is a session cookie: the server keeps nothing to recognise the visitor later. */
  persistent: z.boolean(),
  /**
   * SIG-1: true when the browser (`navigator.globalPrivacyControl`, Do Not Track) or the page embedding the widget
   * sent Global Privacy Control or Do Not Track. Browsers send no `Sec-GPC` header on a WebSocket handshake, so this
   * is how the server learns it. The server then keeps nothing beyond the conversation. Absent means no signal.
   */
  privacySignal: z.boolean().optional(),
  page: z.string().max(2048).optional(),
  locale: z.string().max(35).optional(),
  /**
   * The visitor's IANA time zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`), so that agents of a website
   * that shows local time see it. Not sent under a privacy signal; the server ignores it then, and on a website
   * that does not show local time.
   */
  timeZone: z.string().max(64).optional(),
  /**
   * The id of the last message the widget holds, on a reconnect: the welcome then carries only the messages it
   * does not have (see `MAX_CLOCK_SKEW_MS` in the store), or all of them if the server does not know this id.
   */
  after: Id.optional(),
});
export const VisitorSend = z.object({ type: z.literal('send'), key: IdempotencyKey, text: MessageText });
export const VisitorTyping = z.object({ type: z.literal('typing'), typing: z.boolean() });
/**
 * The newest agent message the visitor has seen: sent while the chat panel is open and the page visible, once each
 * time that message changes. Agents hear it as a `seen` frame; the server keeps the latest with the conversation.
 */
export const VisitorSeen = z.object({ type: z.literal('seen'), id: Id });
export const VisitorProfile = z.object({
  type: z.literal('profile'),
  name: Name.optional(),
  email: Email.optional(),
  /**
   * The department the visitor chose in the pre-chat form, one the welcome's `settings.departments` offered: the
   * chat this socket starts is routed to its agents. The server refuses one the website does not offer.
   */
  department: Id.optional(),
});
export const VisitorOfflineMessage = z.object({
  type: z.literal('offline_message'),
  key: IdempotencyKey,
  name: Name.optional(),
  email: Email,
  text: MessageText,
});
export const VisitorTranscript = z.object({ type: z.literal('transcript'), email: Email });
export const VisitorRate = z.object({
  type: z.literal('rate'),
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(1000).optional(),
});
export const VisitorEnd = z.object({ type: z.literal('end') });
/**
 * Asks for a token to upload a file to the visitor's open conversation (the server answers `upload_token`): the
 * widget runs on the customer's site, where Parley's cookies may be blocked, so an upload carries this instead.
 */
export const VisitorUploadToken = z.object({ type: z.literal('upload_token') });
/**
 * The visitor moved to another page of a single-page app without loading a new one (the page told the widget with
 * `Parley('navigate')`): agents see the page they are on now, as after a `hello`.
 */
export const VisitorPage = z.object({ type: z.literal('page'), page: z.string().max(2048) });
/**
 * CK-4: the visitor turns chat off. `text` is the exact wording the widget showed, in the `language` it showed it
 * in (one of `WIDGET_LANGUAGES`); the server stores its hash and that language with the policy
 * version, then forgets the chat id. A widget older than the language says nothing, and spoke English.
 */
export const VisitorOptOut = z.object({
  type: z.literal('opt_out'),
  text: z.string().min(1).max(2000),
  language: z.enum(WIDGET_LANGUAGES).default('en'),
});
export const Ping = z.object({ type: z.literal('ping') });

export const VisitorFrame = z.discriminatedUnion('type', [
  VisitorHello,
  VisitorSend,
  VisitorTyping,
  VisitorSeen,
  VisitorProfile,
  VisitorOfflineMessage,
  VisitorTranscript,
  VisitorRate,
  VisitorEnd,
  VisitorPage,
  VisitorOptOut,
  VisitorUploadToken,
  Ping,
]);
export type VisitorFrame = z.infer<typeof VisitorFrame>;

// ---- agent → server ------------------------------------------------------------------------------------------------

export const AgentSend = z.object({
  type: z.literal('send'),
  key: IdempotencyKey,
  conversationId: Id,
  text: MessageText,
});
export const AgentTyping = z.object({ type: z.literal('typing'), conversationId: Id, typing: z.boolean() });
/** The newest visitor message of a conversation the agent has seen (it is open while the dashboard's tab is visible). */
export const AgentSeen = z.object({ type: z.literal('seen'), conversationId: Id, id: Id });
export const AgentClose = z.object({ type: z.literal('close'), conversationId: Id });
export const AgentStatus = z.object({ type: z.literal('status'), online: z.boolean() });
export const AgentOpen = z.object({ type: z.literal('open'), conversationId: Id });
/** An internal note on a conversation: stored and shown to the account's agents only, never to the visitor. */
export const AgentNote = z.object({
  type: z.literal('note'),
  key: IdempotencyKey,
  conversationId: Id,
  text: MessageText,
});
/**
 * Hands a conversation to another agent of the account, or to a department (its routing picks the agent, or the
 * chat waits in its queue). The note, if any, is kept as an internal note.
 */
export const AgentTransfer = z.object({
  type: z.literal('transfer'),
  conversationId: Id,
  to: z.union([z.object({ agentId: Id }).strict(), z.object({ departmentId: Id }).strict()]),
  note: z.string().max(LIMITS.maxMessageChars).optional(),
});

export const AgentFrame = z.discriminatedUnion('type', [
  AgentSend,
  AgentTyping,
  AgentSeen,
  AgentClose,
  AgentStatus,
  AgentOpen,
  AgentNote,
  AgentTransfer,
  Ping,
]);
export type AgentFrame = z.infer<typeof AgentFrame>;

/**
 * The agent socket's query string, `/ws/agent?after=<message id>`: the last message the dashboard holds, on a
 * reconnect. It is in the URL rather than a first frame because the server sends the snapshot as soon as the
 * socket opens, with no hello to wait for; the missed messages follow the snapshot on the same tick, and a
 * dashboard that does not resume is served exactly as before.
 */
export const AgentSocketQuery = z.object({ after: Id.optional() });
export type AgentSocketQuery = z.infer<typeof AgentSocketQuery>;

// ---- server → clients ----------------------------------------------------------------------------------------------

export type Author = 'visitor' | 'agent' | 'system';

/**
 * The kinds of file a chat carries, each decided by the file's content, never by its name or declared type: images
 * (PNG, JPEG, GIF, WebP), PDF documents and plain text (UTF-8 without NUL). A website allows some of them.
 */
export const FILE_KINDS = ['image', 'pdf', 'text'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/**
 * A file a message carries. `url` and `thumbUrl` are paths on Parley's server, signed and valid for a short while:
 * a client resolves them against the server's origin, and gets fresh ones each time it loads the conversation.
 */
export interface ChatFile {
  /** The file's name as the sender's device gave it, made safe (no path, no control characters). */
  name: string;
  /** The content type found in the file's bytes, e.g. `image/png` or `application/pdf`. */
  type: string;
  /** Bytes. */
  size: number;
  /** An image's size in pixels, after its EXIF orientation was applied. */
  width?: number;
  height?: number;
  url: string;
  /** An image's thumbnail (WebP, at most 320 pixels across). */
  thumbUrl?: string;
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  author: Author;
  /** The agent's display name for agent messages. */
  authorName?: string;
  /** The message's text; for a file message, the file's name. */
  text: string;
  /** ISO 8601 timestamp. */
  at: string;
  /** The file a file message carries. */
  file?: ChatFile;
}

export type ConversationStatus = 'waiting' | 'active' | 'closed';

/** One page a visitor opened during a conversation: its path with ids masked (`/orders/:id`), never a query. */
export interface PageVisit {
  path: string;
  /** ISO 8601 timestamp. */
  at: string;
}

/** One earlier conversation of the same (recognised) visitor with this business. */
export interface EarlierConversation {
  id: string;
  /** ISO 8601 timestamp. */
  startedAt: string;
}

export interface VisitorSummary {
  name?: string;
  email?: string;
  /** The page the visitor is on: a masked path, on a website that shows pages. */
  page?: string;
  /** ISO 3166-1 alpha-2 country, when known. Never the IP address. */
  country?: string;
  locale?: string;
  /** The visitor's IANA time zone, on a website that shows local time: agents show the time there. */
  timeZone?: string;
  /** Browser family (`Firefox`), on a website that shows it; never a version. */
  browser?: string;
  /** Operating system family (`Android`), on a website that shows it; never a version. */
  system?: string;
  /** The pages opened during this conversation, oldest first, on a website that shows pages. */
  pages?: PageVisit[];
  /** This visitor's earlier conversations with the business, newest first, on a website that shows them. */
  earlier?: EarlierConversation[];
}

/** Who ended a conversation: the visitor, or an agent, named as the visitor saw them. */
export type ClosedBy = { by: 'visitor' } | { by: 'agent'; name: string };

/** A read receipt: the last message the other side has seen, and when it saw it (ISO 8601). */
export interface SeenReceipt {
  id: string;
  at: string;
}

export interface ConversationSummary {
  id: string;
  status: ConversationStatus;
  /** The agent who holds (or held) the conversation, so a dashboard can tell its own chats from others'. */
  agentId?: string;
  agentName?: string;
  visitor: VisitorSummary;
  startedAt: string;
  lastMessage?: ChatMessage;
  rating?: number;
  /** The name of the website the chat came from, when the account has it. */
  website?: string;
  /**
   * The names of the conversation's tags, when the frame carries them: the snapshot, history and the frame that
   * reports a change of tags do; a summary without them (on each new message, say) leaves the tags as they were.
   */
  tags?: string[];
  /** The department the chat is routed to, when it has one. */
  department?: { id: string; name: string };
  childFlagged?: boolean;
  /** Reported as spam: a dashboard drops it from the inbox. */
  spam?: true;
  /** On the frame that reports the conversation closing: who closed it. */
  closedBy?: ClosedBy;
  /** The agents' message the visitor has seen last, once they have seen one. */
  seenByVisitor?: SeenReceipt;
}

export type ErrorCode =
  | 'invalid_frame'
  | 'frame_too_large'
  | 'rate_limited'
  /** SEC-1: too many new conversations were started on the account this minute; try again shortly. */
  | 'busy'
  /** A conversation's transcript was already mailed as often as it may be. */
  | 'transcript_limit'
  /** The address was already mailed as often as it may be today. */
  | 'recipient_limit'
  | 'not_ready'
  | 'not_found'
  | 'forbidden'
  | 'conversation_closed'
  | 'opted_out'
  | 'internal';

/** The days of a week in the order working hours list them: Monday first, as businesses write their hours. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One day's opening, `HH:MM` in the website's time zone; `close` after `open` (a day does not run past midnight). */
export interface OpeningTimes {
  open: string;
  close: string;
}

/** When agents answer on a website: an IANA time zone and each day's hours; a day that is missing is closed. */
export interface WorkingHours {
  timeZone: string;
  days: Partial<Record<Weekday, OpeningTimes>>;
}

/** Whether a pre-chat field is asked for, and whether the visitor must fill it in. */
export type PreChatField = 'off' | 'optional' | 'required';

/**
 * What agents see of a visitor beside the chat, item by item. Every item is off until the website's owner turns it
 * on, and none is collected for a visitor who sent Global Privacy Control or Do Not Track.
 */
export interface VisitorContextItems {
  /** The pages opened during the chat, as masked paths; kept as long as the conversation. */
  pages: boolean;
  /** The visitor's local time, from their time zone. */
  localTime: boolean;
  /** The country of the visitor's language region (or the proxy's country header), never from the IP address. */
  country: boolean;
  /** Browser and operating-system family, without versions. */
  browser: boolean;
  /** The visitor's earlier conversations with the business, when their chat id is remembered. */
  history: boolean;
}

/**
 * What the launcher needs before the visitor acts: baked into the website's own launcher script, so that it makes
 * no request for it (CK-7).
 */
export interface LauncherSettings {
  /** The website's public key: the visitor socket's `account` parameter. */
  key: string;
  /** `#rrggbb`: the launcher's and the panel's colour. */
  color: string;
  position: 'right' | 'left';
  /** Shown beside the icon; null for the icon alone, named in the visitor's language. */
  label: string | null;
  /** The languages the website offers, its default first; the widget speaks the first the browser prefers. */
  languages: WidgetLanguage[];
  /** The text colour readable on `color`, chosen by the server, so that the launcher need not work it out. */
  onColor?: string;
  /** The website's proactive greeting, when it has one. */
  greet?: ProactiveGreeting;
}

/**
 * A greeting the launcher shows by itself, after `after` seconds on a page whose path matches `path`, before the
 * visitor does anything: the launcher makes no request for it and nothing is stored (CK-7). If the visitor opens
 * the chat, it starts with this text.
 */
export interface ProactiveGreeting {
  /** A regular expression's source, matched against `location.pathname`; the server writes it from the website's paths. */
  path: string;
  /** Seconds on the page before the greeting shows. */
  after: number;
  text: string;
}

/** What the chat needs once the visitor opened it, sent with the welcome. */
export interface ChatSettings {
  /** The first thing the chat says; null for the default greeting in the visitor's language. */
  greeting: string | null;
  preChat: { name: PreChatField; email: PreChatField };
  /** Whether the visitor may have the transcript mailed to them. */
  transcripts: boolean;
  /** Whether an ended chat asks for a rating. */
  ratings: boolean;
  /** The departments the pre-chat form offers (the visitor's choice goes in the `profile` frame); none: no question. */
  departments?: Array<{ id: string; name: string }>;
  /** The kinds of file visitors may send on this website; none: the widget offers no attachment. */
  files?: FileKind[];
}

/** An agent's internal note on a conversation: for the account's agents only. */
export interface InternalNote {
  id: string;
  conversationId: string;
  /** The agent who wrote it, while they are an agent of the account. */
  agentId?: string;
  authorName?: string;
  text: string;
  /** ISO 8601 timestamp. */
  at: string;
}

export type ServerToVisitor =
  | {
      type: 'welcome';
      chatId: string;
      agentsOnline: boolean;
      preChatForm: boolean;
      /** The website's settings for the chat; outside its working hours `agentsOnline` is false. */
      settings?: ChatSettings;
      /**
       * `rated`: an ended conversation the visitor has already rated, so the widget does not ask again. `seen`: the
       * visitor's message an agent has seen last.
       */
      conversation: {
        id: string;
        status: ConversationStatus;
        agentName?: string;
        rated?: true;
        seen?: SeenReceipt;
      } | null;
      messages: ChatMessage[];
    }
  | { type: 'ack'; key: string; id: string; at: string }
  | { type: 'message'; message: ChatMessage }
  | { type: 'typing'; name: string; typing: boolean }
  /** An agent has seen the conversation up to the message `id`. */
  | { type: 'seen'; id: string; at: string }
  | { type: 'presence'; agentsOnline: boolean }
  | { type: 'conversation'; status: ConversationStatus; agentName?: string; closedBy?: ClosedBy }
  /** While the visitor's chat waits for an agent: its place in the queue, from 1, sent again as it moves. */
  | { type: 'queue'; position: number }
  | { type: 'done'; what: 'profile' | 'transcript' | 'rating' | 'offline_message' | 'opt_out' }
  /**
   * The answer to `upload_token`: the visitor's open conversation takes files POSTed to `path` on Parley's server
   * with `Authorization: Bearer <token>` until `expiresAt` (ISO 8601).
   */
  | { type: 'upload_token'; token: string; path: string; expiresAt: string }
  | { type: 'error'; code: ErrorCode; message: string; key?: string }
  | { type: 'pong' };

export type ServerToAgent =
  | {
      type: 'snapshot';
      agent: { id: string; name: string; online: boolean };
      conversations: ConversationSummary[];
      agentsOnline: number;
      /**
       * For a dashboard that resumed (`AgentSocketQuery.after`), or a socket catching up after the server's bus was
       * interrupted: `complete` when the `message` frames that follow are every message it missed; `reload` when
       * there were too many or its last message is unknown, so the histories it holds may be stale.
       */
      resume?: 'complete' | 'reload';
    }
  | { type: 'conversation'; conversation: ConversationSummary }
  | { type: 'history'; conversationId: string; messages: ChatMessage[]; notes?: InternalNote[] }
  | { type: 'message'; message: ChatMessage }
  | { type: 'note'; note: InternalNote }
  | { type: 'typing'; conversationId: string; typing: boolean }
  /** The visitor has seen the conversation up to the message `id`. */
  | { type: 'seen'; conversationId: string; by: 'visitor'; id: string; at: string }
  | { type: 'ack'; key: string; id: string; at: string }
  | { type: 'presence'; agentsOnline: number }
  | { type: 'error'; code: ErrorCode; message: string; key?: string }
  | { type: 'pong' };

export { CLOSE_CODES, type CloseCode, endsSession, SESSION_END_CODES } from './close-codes.ts';

/** Parses one text frame: JSON, then the schema. Returns an error frame's fields on failure. */
export function parseFrame<T>(
  schema: z.ZodType<T>,
  raw: string,
): { ok: true; frame: T } | { ok: false; code: 'invalid_frame'; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'invalid_frame', message: 'frame is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, code: 'invalid_frame', message: `${where}${issue?.message ?? 'invalid frame'}` };
}
