import type {
  ChatMessage,
  ConversationSummary,
  FileKind,
  PreChatField,
  VisitorContextItems,
  WidgetLanguage,
  WorkingHours,
} from '@parley/protocol';
import type { Language } from './i18n/i18n.ts';

/** Shapes of the dashboard's HTTP API (`/app/api/*`), as the server sends them. */

/** The server's rights table gives admins everything but the owner's own decisions, and agents chat only. */
export type Role = 'owner' | 'admin' | 'agent';

export interface Agent {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** Only for the signed-in agent (sign-in and `/me`): the dashboard language they chose, null for the browser's. */
  language?: Language | null;
}

export interface TeamMember extends Agent {
  online: boolean;
}

export interface Account {
  id: string;
  organization: string;
  /** The widget's public key, used in the embed snippet. */
  publicKey: string;
  contactName?: string | null;
  contactEmail?: string | null;
  phone?: string | null;
  imHandle?: string | null;
  preChatForm?: boolean;
}

/** RET-2: the fields an account holder corrects. */
export interface AccountUpdate {
  organization: string;
  contactName: string;
  contactEmail: string;
  phone: string;
  imHandle: string;
}

/** What sign-in, `/me` and accepting an invitation return. */
export interface Session {
  agent: Agent;
  account: Account;
  csrfToken: string;
}

export interface Invitation {
  email: string;
  name: string;
  organization: string;
}

/** SEC-1: a block in force on a visitor (`GET /blocks`). */
export interface VisitorBlock {
  id: string;
  visitorId: string | null;
  visitorName: string | null;
  network: string | null;
  reason: string | null;
  blockedBy: { id: string; name: string } | null;
  createdAt: string;
  expiresAt: string;
}

export interface VisitorRecord {
  id: string;
  name?: string | null;
  email?: string | null;
  country?: string | null;
  lastSeenAt?: string | null;
  conversations: number;
}

/** The visitor rights a privacy request can concern; the ids of the policy's rights. */
export type RequestKind = 'access' | 'export' | 'rectification' | 'erasure';

export interface PrivacyRequest {
  id: string;
  kind: RequestKind | string;
  receivedAt: string;
  deadlineAt: string;
  completedAt?: string | null;
  overdue: boolean;
}

export interface CannedReply {
  id: string;
  shortName: string;
  body: string;
  updatedAt: string;
}

export interface Tag {
  id: string;
  name: string;
  color: string | null;
}

/** LOG-3: how many conversations in the period carry a tag; no value when too few visitors are in them. */
export interface TagFigure extends StatFigure {
  tag: { id: string; name: string };
}

export interface StatFigure {
  name: string;
  value: number | null;
  suppressed: boolean;
  reason?: string;
}

export interface PastConversation extends ConversationSummary {
  closedAt?: string | null;
  ratingComment?: string | null;
  /** SEC-1: when it was reported as spam, and by whom (while that agent exists); only on spam conversations. */
  spamAt?: string;
  spamReportedBy?: string | null;
}

export interface ClosedConversations {
  conversations: PastConversation[];
  /** Present when there are older conversations. */
  nextCursor?: string | null;
}

/** What a search of the history asks for (`GET /search`); every part may be left out. */
export interface SearchParams {
  /** Words to find in messages and notes. */
  q?: string;
  /** ISO instants: the conversation started at or after `from`, before `to`. */
  from?: string;
  to?: string;
  tag?: string;
  agent?: string;
  department?: string;
  website?: string;
  rating?: string;
}

/** The newest message or note of a found conversation that holds the words, with the matched words' offsets. */
export interface SearchMatch {
  kind: 'message' | 'note';
  id: string;
  /** A message's author; a note is always an agent's. */
  author?: 'visitor' | 'agent' | 'system';
  at: string;
  snippet: { text: string; marks: Array<[number, number]> };
}

export interface SearchResults {
  results: Array<{ conversation: PastConversation; match: SearchMatch | null }>;
  /** Present when there are older conversations that match. */
  nextCursor?: string | null;
}

export interface ConversationDetail {
  conversation: PastConversation;
  messages: ChatMessage[];
}

/** A message a visitor left while no agent was online. */
export interface OfflineMessage {
  id: string;
  name?: string | null;
  email: string;
  text: string;
  at: string;
  handledAt?: string | null;
  /** Past the account's hourly limit on offline-message mail: not mailed, so only this view shows it. */
  mailHeld?: boolean;
  /** The answers agents mailed, oldest first. */
  replies?: OfflineReply[];
}

/** An agent's answer to an offline message, as it was mailed. */
export interface OfflineReply {
  id: string;
  agentId: string | null;
  text: string;
  at: string;
}

/** RET-2: how an agent is told of new chats. */
export interface NotificationSettings {
  sound: boolean;
  desktop: boolean;
  missedChatMail: boolean;
}

/** RET-2: a person's own profile, as `GET /profile` sends it. */
export interface Profile {
  name: string;
  email: string;
  /** A new sign-in email waiting for its confirmation link to be opened. */
  pendingEmail: string | null;
  /** What visitors see, when set; else the initials, else the name. */
  displayName: string | null;
  initials: string | null;
  /** The dashboard's language; null while it follows the browser. */
  language: Language | null;
  notifications: NotificationSettings;
}

/** The fields of a profile change; only those that differ are sent. */
export interface ProfileChange {
  name?: string;
  displayName?: string | null;
  initials?: string | null;
  language?: Language | null;
  notifications?: Partial<NotificationSettings>;
}

/** One of a person's own live sign-ins. `id` is a handle for ending it, not the session's secret id. */
export interface SignInRecord {
  id: string;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/** SEC-1: the password was right; the sign-in needs a code, or (for someone it is required of) an enrolment. */
export interface SecondFactorStep {
  secondFactor: 'code' | 'enrol';
  challenge: string;
}

/** SEC-1: what an authenticator app is set up with: the key as text, and the QR code to draw as SVG. */
export interface EnrolmentOffer {
  secret: string;
  uri: string;
  qr: { size: number; path: string };
}

export interface SecondFactorStatus {
  enrolled: boolean;
  /** This installation requires it of this person (an owner, with PARLEY_OWNER_2FA=required). */
  required: boolean;
  recoveryCodesLeft: number;
}

/** COM-1: a request to the installation's operator, as `GET /app/api/support` lists it. */
export interface SupportThread {
  id: string;
  subject: string;
  status: 'open' | 'closed';
  /** Support answered and nobody here has opened the thread since. */
  unread: boolean;
  createdAt: string;
  lastMessageAt: string;
  closedAt: string | null;
}

export interface SupportMessage {
  id: string;
  author: 'account' | 'staff';
  authorName: string | null;
  body: string;
  createdAt: string;
}

/** A department of the account: the agents who answer the chats routed to it. */
export interface Department {
  id: string;
  name: string;
  agentIds: string[];
  createdAt: string;
}

/** The departments and the team by name (no email addresses): what every agent needs to transfer a chat. */
export interface Departments {
  departments: Department[];
  /** Each active agent with how many chats at once routing gives them. */
  agents: Array<{ id: string; name: string; capacity: number | null }>;
}

/** A website's settings, as the dashboard sends them to be stored. */
export interface WebsiteInput {
  name: string;
  /** `https://host[:port]`; none: any origin may embed the widget. */
  origins: string[];
  color: string;
  position: 'right' | 'left';
  launcherLabel: string | null;
  greeting: string | null;
  agentDisplay: 'name' | 'initials';
  /** Its default first. */
  languages: WidgetLanguage[];
  preChat: { name: PreChatField; email: PreChatField };
  hours: WorkingHours | null;
  transcripts: boolean;
  ratings: boolean;
  /** What agents see of a visitor beside the chat; every item off until turned on. */
  context: VisitorContextItems;
  /** The kinds of file visitors may send from the website; none: the widget offers no attachment. */
  fileKinds: FileKind[];
  /** What the launcher says by itself after `after` seconds on one of `paths`; null: nothing. */
  proactiveGreeting: ProactiveGreeting | null;
}

export interface ProactiveGreeting {
  text: string;
  after: number;
  /** `/pricing`, `/blog/*`; `/*` for every page. */
  paths: string[];
}

/** A website the widget is on, with its own key and the snippet to paste into its pages. */
export interface Website extends WebsiteInput {
  id: string;
  publicKey: string;
  createdAt: string;
  snippet: string;
}
