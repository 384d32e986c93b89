import { LANGUAGES } from '@parley/policy';
import { type FileKind, WIDGET_LANGUAGES } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ProactiveGreetingSettings } from '../websites/proactive-greeting.ts';
import type { WorkingHours } from '../websites/working-hours.ts';

/**
 * Parley's tables on PostgreSQL: the same tables, columns, keys, indexes and CHECK constraints as `../schema.ts`
 * (`schema-conformance.test.ts` compares the two migrated databases), in the types PostgreSQL should use.
 *
 * - Times are `bigint` milliseconds since the epoch, read as JavaScript numbers: SQLite's integers are 64-bit, and a
 *   32-bit `integer` would end in 1970. Counts, ratings and small numbers stay `integer`.
 * - Flags are `boolean`. Drizzle reads and writes both dialects' flags as JavaScript booleans, and SQL that names a
 *   flag as a bare predicate or compares it with `TRUE`/`FALSE` means the same on both (SQLite's `TRUE` is 1).
 * - JSON is `jsonb`, which drizzle reads and writes as values, as it does SQLite's JSON text.
 * - The CHECK constraints say with regular expressions what SQLite says with `GLOB`.
 * - Bytes are `bytea`, stored uncompressed out of line (`SET STORAGE EXTERNAL`, in a migration of its own): what is
 *   kept there (images, PDFs) is compressed already, and the residue tests must find the bytes as they were written.
 *
 * Every column is classified against the privacy policy in `../classification.ts`.
 */

const createdAt = () => bigint('created_at', { mode: 'number' }).notNull();

/** Bytes, which node-postgres reads and writes as Buffers, as better-sqlite3 does SQLite's blobs. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** A business using Parley (COL-1). Its contact details are the account holder's. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    publicKey: text('public_key').notNull().unique(),
    organization: text('organization').notNull(),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    phone: text('phone'),
    imHandle: text('im_handle'),
    /** COL-4: the one declared region this account's data lives in. */
    region: text('region').notNull(),
    preChatForm: boolean('pre_chat_form').notNull().default(false),
    /** Days an owner has to answer a visitor's request (RET-4); the policy's deadline by default. */
    requestDeadlineDays: integer('request_deadline_days').notNull().default(30),
    apiKeyHash: text('api_key_hash'),
    createdAt: createdAt(),
    closedAt: bigint('closed_at', { mode: 'number' }),
  },
  (t) => [check('accounts_region_code', sql`length(${t.region}) = 2 AND ${t.region} = upper(${t.region})`)],
);

/**
 * COL-3: no column can hold a card number. The processor's token, brand, last four digits and expiry only; the
 * CHECK constraints refuse anything longer than four digits in `last4` even if application code is bypassed.
 */
export const paymentCards = pgTable(
  'payment_cards',
  {
    accountId: text('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    processorToken: text('processor_token').notNull(),
    brand: text('brand').notNull(),
    last4: text('last4').notNull(),
    expMonth: integer('exp_month').notNull(),
    expYear: integer('exp_year').notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    check('payment_cards_last4', sql`length(${t.last4}) = 4 AND ${t.last4} !~ '[^0-9]'`),
    check('payment_cards_token_not_pan', sql`${t.processorToken} !~ '[0-9]{13}'`),
    check('payment_cards_exp', sql`${t.expMonth} BETWEEN 1 AND 12 AND ${t.expYear} BETWEEN 2000 AND 2100`),
  ],
);

/**
 * A website an account puts the widget on: its own public key (the visitor socket's `account` parameter), the
 * origins it may be embedded on, and how the widget looks and behaves there. Settings of the business, not of any
 * person. `origins` empty: any origin, so a new installation works before its owner lists them.
 */
export const websites = pgTable(
  'websites',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull().unique(),
    name: text('name').notNull(),
    /** `https://host[:port]` origins, normalised. */
    origins: jsonb('origins').$type<string[]>().notNull(),
    color: text('color').notNull(),
    position: text('position', { enum: ['right', 'left'] }).notNull(),
    launcherLabel: text('launcher_label'),
    greeting: text('greeting'),
    agentDisplay: text('agent_display', { enum: ['name', 'initials'] }).notNull(),
    /** Widget language codes, the website's default first. */
    languages: jsonb('languages').$type<string[]>().notNull(),
    preChatName: text('pre_chat_name', { enum: ['off', 'optional', 'required'] }).notNull(),
    preChatEmail: text('pre_chat_email', { enum: ['off', 'optional', 'required'] }).notNull(),
    /** Null: always open. */
    hours: jsonb('hours').$type<WorkingHours>(),
    transcripts: boolean('transcripts').notNull(),
    ratings: boolean('ratings').notNull(),
    createdAt: createdAt(),
    /** Null: no proactive greeting. */
    proactiveGreeting: jsonb('proactive_greeting').$type<ProactiveGreetingSettings>(),
    contextPages: boolean('context_pages').notNull().default(false),
    contextLocalTime: boolean('context_local_time').notNull().default(false),
    contextCountry: boolean('context_country').notNull().default(false),
    contextBrowser: boolean('context_browser').notNull().default(false),
    contextHistory: boolean('context_history').notNull().default(false),
    fileKinds: jsonb('file_kinds').$type<FileKind[]>().notNull().default(['image', 'pdf']),
  },
  (t) => [
    index('websites_account').on(t.accountId),
    check('websites_color', sql`${t.color} ~ '^#[0-9a-f]{6}$'`),
  ],
);

/** People who answer chats (COL-2); the account owner is an agent with role `owner`, who may make others `admin`. */
export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    role: text('role', { enum: ['owner', 'admin', 'agent'] }).notNull(),
    online: boolean('online').notNull().default(false),
    createdAt: createdAt(),
    removedAt: bigint('removed_at', { mode: 'number' }),
    // RET-2: the agent's own profile. What visitors see: the display name, else the initials, else the name.
    displayName: text('display_name'),
    initials: text('initials'),
    notifySound: boolean('notify_sound').notNull().default(true),
    notifyDesktop: boolean('notify_desktop').notNull().default(false),
    notifyMissedMail: boolean('notify_missed_mail').notNull().default(true),
    // The dashboard's language the agent chose; until they choose, the dashboard follows their browser.
    language: text('language', { enum: ['en', 'de'] }),
    capacity: integer('capacity').notNull().default(3),
    lastAssignedAt: bigint('last_assigned_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('agents_email').on(t.email), index('agents_account').on(t.accountId)],
);

/**
 * RET-2: a single-use link mailed to a person, to confirm a new sign-in email or to set a new password. Only a hash
 * of its token is kept, with the address a change of email waits to confirm; the row goes when the link is used.
 */
export const personLinks = pgTable(
  'person_links',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['email_change', 'password_reset'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    newEmail: text('new_email'),
    createdAt: createdAt(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('person_links_agent').on(t.agentId, t.purpose)],
);

/** COL-2: a one-time link; only a hash of its token is kept. */
export const agentInvitations = pgTable(
  'agent_invitations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by').notNull(),
    createdAt: createdAt(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    acceptedAt: bigint('accepted_at', { mode: 'number' }),
  },
  (t) => [index('agent_invitations_account').on(t.accountId)],
);

/** Server-side record of a sign-in, so that signing out revokes the encrypted cookie (CK-1). */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userKind: text('user_kind', { enum: ['agent', 'staff'] }).notNull(),
    userId: text('user_id').notNull(),
    csrfTokenHash: text('csrf_token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userKind, t.userId)],
);

/** People who run the installation and use the admin console. */
export const operatorStaff = pgTable('operator_staff', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  removedAt: bigint('removed_at', { mode: 'number' }),
  role: text('role', { enum: ['viewer', 'support', 'privacy_officer', 'admin'] })
    .notNull()
    .default('admin'),
});

// --- SEC-1: second factor (TOTP) -------------------------------------------------------------------------------

/**
 * SEC-1: a person's TOTP second factor, an agent's or a staff member's (exactly one of the two). The shared secret is
 * sealed with AES-256-GCM under an installation key (`secret`), never stored in clear; `last_step` is the last time
 * step a code was accepted for, so that no code is accepted twice. Unconfirmed (`confirmed_at` NULL) until the
 * person types a first valid code.
 */
export const secondFactors = pgTable(
  'second_factors',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').references(() => agents.id, { onDelete: 'cascade' }),
    staffId: text('staff_id').references(() => operatorStaff.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    confirmedAt: bigint('confirmed_at', { mode: 'number' }),
    lastStep: bigint('last_step', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('second_factors_agent').on(t.agentId),
    uniqueIndex('second_factors_staff').on(t.staffId),
    check('second_factors_one_person', sql`(${t.agentId} IS NULL) <> (${t.staffId} IS NULL)`),
  ],
);

/** SEC-1: single-use recovery codes of a second factor, kept only as hashes; a code's row goes when it is used. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    factorId: text('factor_id')
      .notNull()
      .references(() => secondFactors.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.factorId, t.codeHash] })],
);

// --- end of second factor ------------------------------------------------------------------------------------

/** A person chatting through the widget. Only a hash of the chat-id cookie is kept (CK-3). */
export const visitors = pgTable(
  'visitors',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    chatIdHash: text('chat_id_hash'),
    /** False under GPC or DNT (SIG-1): the chat id is then a session cookie and the visitor is not recognised later. */
    persistent: boolean('persistent').notNull(),
    name: text('name'),
    email: text('email'),
    country: text('country'),
    locale: text('locale'),
    currentPage: text('current_page'),
    createdAt: createdAt(),
    lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
    timeZone: text('time_zone'),
    browser: text('browser'),
    system: text('system'),
  },
  (t) => [
    uniqueIndex('visitors_chat_id').on(t.accountId, t.chatIdHash),
    index('visitors_email').on(t.accountId, t.email),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['waiting', 'active', 'closed'] }).notNull(),
    agentId: text('agent_id'),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    firstResponseAt: bigint('first_response_at', { mode: 'number' }),
    closedAt: bigint('closed_at', { mode: 'number' }),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    /** Transcripts of this conversation queued for mail; `MAIL_LIMITS` caps it. */
    transcriptsSent: integer('transcripts_sent').notNull().default(0),
    /** The website the visitor chatted from; null for chats older than websites, or once the website is deleted. */
    websiteId: text('website_id'),
    /** When a node claimed the mail telling the agents this chat was missed: it is sent once, by one node. */
    missedMailAt: bigint('missed_mail_at', { mode: 'number' }),
    /** Read receipts: the last message the visitor has seen, and when; then the same for the account's agents. */
    visitorSeenId: text('visitor_seen_id'),
    visitorSeenAt: bigint('visitor_seen_at', { mode: 'number' }),
    agentSeenId: text('agent_seen_id'),
    agentSeenAt: bigint('agent_seen_at', { mode: 'number' }),
    /** The department the visitor asked for, whose agents the chat is routed to; null: any agent of the account. */
    departmentId: text('department_id').references(() => departments.id, { onDelete: 'set null' }),
    /** When an agent reported the conversation as spam: it then leaves the inbox, the history's default list and the statistics. */
    spamAt: bigint('spam_at', { mode: 'number' }),
    /** The agent who reported it, while their account exists. */
    spamReportedBy: text('spam_reported_by'),
  },
  (t) => [
    index('conversations_account_status').on(t.accountId, t.status),
    index('conversations_visitor').on(t.visitorId),
    index('conversations_closed').on(t.closedAt),
    check('conversations_rating', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    /** Time-ordered (`newOrderedId`), so each new row lands at the end of the key's index. */
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    author: text('author', { enum: ['visitor', 'agent', 'system'] }).notNull(),
    agentId: text('agent_id'),
    body: text('body').notNull(),
    /** The client's idempotency key: a resent message is stored once. */
    clientKey: text('client_key').notNull(),
    createdAt: createdAt(),
    /**
     * The order rows were written in, which breaks ties between messages of the same millisecond. SQLite has it as
     * the rowid; PostgreSQL has no such thing, so this column, and only this one, exists on PostgreSQL alone.
     */
    writeOrder: bigint('write_order', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    // Every index is written on every chat message, so there is only one: it also serves every lookup by
    // conversation (a conversation's messages are then sorted by time, a small sort). Erasure finds a visitor's
    // messages through their conversations (the classification's `via`), not through an index on the visitor.
    uniqueIndex('messages_client_key').on(t.conversationId, t.author, t.clientKey),
  ],
);

/**
 * Columns that exist on PostgreSQL alone, as `table.column`: each stands for something SQLite keeps without a
 * column. The schema comparison and the classification's check of SQLite's columns leave exactly these out.
 */
export const POSTGRES_ONLY_COLUMNS: readonly string[] = ['messages.write_order'];

/** Left when no agent is online. */
export const offlineMessages = pgTable(
  'offline_messages',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').references(() => visitors.id, { onDelete: 'cascade' }),
    name: text('name'),
    email: text('email').notNull(),
    body: text('body').notNull(),
    clientKey: text('client_key').notNull(),
    createdAt: createdAt(),
    handledAt: bigint('handled_at', { mode: 'number' }),
    /** Past the account's hourly limit on offline-message mail: kept, not mailed, and waiting for an agent. */
    mailHeld: boolean('mail_held').notNull().default(false),
  },
  (t) => [
    uniqueIndex('offline_messages_client_key').on(t.accountId, t.clientKey),
    index('offline_messages_email').on(t.accountId, t.email),
    // Erasure and export look a visitor up by both (RET-4).
    index('offline_messages_visitor').on(t.accountId, t.visitorId),
  ],
);

/** Every consent or opt-out, with the policy version and a hash of the exact text shown. */
export const consentRecords = pgTable(
  'consent_records',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id'),
    agentId: text('agent_id'),
    scope: text('scope', { enum: ['widget', 'signup', 'marketing'] }).notNull(),
    choice: text('choice', { enum: ['consent', 'opt_out', 'withdraw'] }).notNull(),
    policyVersion: text('policy_version').notNull(),
    textHash: text('text_hash').notNull(),
    /**
     * The language of the text whose hash this is: the one the person read it in, which for the widget's opt-out is
     * any language the widget speaks.
     */
    language: text('language', { enum: WIDGET_LANGUAGES }).notNull().default('en'),
    createdAt: createdAt(),
  },
  (t) => [
    // Erasure and export look a visitor up by both (RET-4): with the visitor alone, the account index looked as good.
    index('consent_records_visitor').on(t.visitorId, t.accountId),
    index('consent_records_account').on(t.accountId),
  ],
);

/** COM-2: an account holder's marketing choice. */
export const marketingPreferences = pgTable('marketing_preferences', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  optedIn: boolean('opted_in').notNull(),
  source: text('source', { enum: ['signup', 'dashboard', 'unsubscribe_link', 'admin'] }).notNull(),
  changedAt: bigint('changed_at', { mode: 'number' }).notNull(),
});

/** RET-4: a visitor's request through the account. Once erased, `visitor_id` is cleared and the record stays. */
export const dataSubjectRequests = pgTable(
  'data_subject_requests',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id'),
    kind: text('kind', { enum: ['access', 'export', 'rectification', 'erasure'] }).notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    deadlineAt: bigint('deadline_at', { mode: 'number' }).notNull(),
    completedAt: bigint('completed_at', { mode: 'number' }),
    /** What was done, without personal data (e.g. row counts). */
    outcome: text('outcome'),
  },
  (t) => [index('dsr_account').on(t.accountId, t.completedAt), index('dsr_visitor').on(t.visitorId)],
);

/** SHR-1: legal requests for data. */
export const disclosures = pgTable('disclosures', {
  id: text('id').primaryKey(),
  requester: text('requester').notNull(),
  legalBasis: text('legal_basis').notNull(),
  categories: jsonb('categories').$type<string[]>().notNull(),
  accountId: text('account_id'),
  receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
  approvedBy: text('approved_by'),
  approvedAt: bigint('approved_at', { mode: 'number' }),
  disclosedAt: bigint('disclosed_at', { mode: 'number' }),
  status: text('status', { enum: ['received', 'approved', 'refused', 'disclosed'] }).notNull(),
});

/** SHR-1: every hand-off to a processor, naming the categories sent and those dropped. */
export const processorHandoffs = pgTable('processor_handoffs', {
  id: text('id').primaryKey(),
  processorId: text('processor_id').notNull(),
  activity: text('activity').notNull(),
  accountId: text('account_id'),
  sentFields: jsonb('sent_fields').$type<string[]>().notNull(),
  droppedFields: jsonb('dropped_fields').$type<string[]>().notNull(),
  createdAt: createdAt(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    actorKind: text('actor_kind', { enum: ['agent', 'staff', 'system', 'visitor', 'api'] }).notNull(),
    actorId: text('actor_id'),
    accountId: text('account_id'),
    action: text('action').notNull(),
    /** Ids and counts only, never personal data. */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created').on(t.createdAt), index('audit_log_account').on(t.accountId)],
);

/** LOG-1: IPs are truncated before they reach this table; no cookie values, no query strings. */
export const accessLog = pgTable(
  'access_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    status: integer('status').notNull(),
    durationMs: integer('duration_ms').notNull(),
    ipTruncated: text('ip_truncated'),
    browser: text('browser'),
    language: text('language'),
    visitorId: text('visitor_id'),
  },
  (t) => [index('access_log_at').on(t.at), index('access_log_visitor').on(t.visitorId)],
);

export const policyVersions = pgTable('policy_versions', {
  version: text('version').primaryKey(),
  date: text('date').notNull(),
  summary: text('summary').notNull(),
  contentJson: text('content_json').notNull(),
  significant: boolean('significant').notNull(),
  publishedAt: bigint('published_at', { mode: 'number' }).notNull(),
});

/**
 * CHG-1: when this installation first ran each version of the policy, when the notice of its change was queued,
 * and so when it comes into force here. Installations upgrade on different days, so these dates are theirs alone.
 */
export const policyVersionRuns = pgTable('policy_version_runs', {
  version: text('version').primaryKey(),
  firstRunAt: bigint('first_run_at', { mode: 'number' }).notNull(),
  noticeQueuedAt: bigint('notice_queued_at', { mode: 'number' }),
  inForceAt: bigint('in_force_at', { mode: 'number' }).notNull(),
});

/** Mail waiting to be sent; drained by the mailer. */
export const noticeOutbox = pgTable(
  'notice_outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind', {
      enum: [
        'policy_change',
        'merger',
        'transcript',
        'invitation',
        'marketing',
        'offline_message',
        'missed_chat',
        'offline_reply',
        'account_security',
        'signup_confirmation',
        'support',
      ],
    }).notNull(),
    accountId: text('account_id'),
    visitorId: text('visitor_id'),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
    sentAt: bigint('sent_at', { mode: 'number' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Until when a mailer has taken the mail to send; another takes it after that, if it is still unsent. */
    claimedUntil: bigint('claimed_until', { mode: 'number' }),
  },
  (t) => [
    index('notice_outbox_pending').on(t.sentAt, t.createdAt),
    index('notice_outbox_visitor').on(t.visitorId),
    // Erasure finds mail to a visitor's address by it (RET-4).
    index('notice_outbox_email').on(t.toEmail),
  ],
);

/**
 * Mail counted against a limit, so that the chat cannot be used to mail strangers in bulk: one row per limited thing
 * (`scope`), counting within a window that starts with its first mail. Kept in the database, not in a socket, so a
 * reconnect or a restart does not reset it and every server process shares it. A recipient's address is kept only
 * as a keyed hash.
 */
export const mailLimits = pgTable(
  'mail_limits',
  {
    scope: text('scope', { enum: ['recipient', 'offline_messages'] }).notNull(),
    /** `recipient`: a keyed hash of the address; `offline_messages`: the account's id. */
    key: text('key').notNull(),
    windowStart: bigint('window_start', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** Installation secrets (session keyring, signing key), generated on first start. */
export const installationSecrets = pgTable(
  'installation_secrets',
  {
    name: text('name').notNull(),
    keyId: text('key_id').notNull(),
    value: text('value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.name, t.keyId] })],
);

// Setting up an installation and signing up (COL-1, COL-4).

/** COL-1: a business's sign-up, waiting for its owner to confirm the email address (see `../schema.ts`). */
export const pendingSignups = pgTable('pending_signups', {
  id: text('id').primaryKey(),
  organization: text('organization').notNull(),
  ownerName: text('owner_name').notNull(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  phone: text('phone'),
  imHandle: text('im_handle'),
  tokenHash: text('token_hash').notNull().unique(),
  policyVersion: text('policy_version').notNull(),
  textHash: text('text_hash').notNull(),
  /** The language the sign-up text was shown in, which the consent record keeps on confirmation. */
  language: text('language', { enum: LANGUAGES }).notNull().default('en'),
  mailsSent: integer('mails_sent').notNull(),
  lastMailedAt: bigint('last_mailed_at', { mode: 'number' }).notNull(),
  createdAt: createdAt(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

/** The setup link and sign-up invitation codes, kept only as hashes (see `../schema.ts`). */
export const installationTokens = pgTable(
  'installation_tokens',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['setup', 'signup_invitation'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    usedAt: bigint('used_at', { mode: 'number' }),
  },
  (t) => [index('installation_tokens_kind').on(t.kind, t.expiresAt)],
);

// The operator's console: suspended accounts, and the support threads account holders open with the operator (COM-1).

export const accountSuspensions = pgTable('account_suspensions', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  reason: text('reason').notNull(),
  suspendedAt: bigint('suspended_at', { mode: 'number' }).notNull(),
});

export const supportThreads = pgTable(
  'support_threads',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    agentId: text('agent_id'),
    subject: text('subject').notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    createdAt: createdAt(),
    lastMessageAt: bigint('last_message_at', { mode: 'number' }).notNull(),
    lastAuthor: text('last_author', { enum: ['account', 'staff'] }).notNull(),
    accountReadAt: bigint('account_read_at', { mode: 'number' }),
    staffReadAt: bigint('staff_read_at', { mode: 'number' }),
    closedAt: bigint('closed_at', { mode: 'number' }),
  },
  (t) => [index('support_threads_account').on(t.accountId, t.lastMessageAt)],
);

export const supportMessages = pgTable(
  'support_messages',
  {
    id: text('id').primaryKey(),
    threadId: text('thread_id')
      .notNull()
      .references(() => supportThreads.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    author: text('author', { enum: ['account', 'staff'] }).notNull(),
    agentId: text('agent_id'),
    staffId: text('staff_id'),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('support_messages_thread').on(t.threadId, t.createdAt)],
);

export const pageVisits = pgTable(
  'page_visits',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    path: text('path').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('page_visits_conversation').on(t.conversationId, t.at)],
);

// Unwanted visitors: blocks an agent puts on a visitor (SEC-1).

export const visitorBlocks = pgTable(
  'visitor_blocks',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id'),
    chatIdHash: text('chat_id_hash'),
    network: text('network'),
    reason: text('reason'),
    blockedBy: text('blocked_by'),
    createdAt: createdAt(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('visitor_blocks_chat_id').on(t.accountId, t.chatIdHash),
    index('visitor_blocks_network').on(t.accountId, t.network),
    index('visitor_blocks_visitor').on(t.visitorId),
  ],
);

/** An agent's answer to an offline message, mailed to the address the visitor gave, threaded under their message. */
export const offlineReplies = pgTable(
  'offline_replies',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    offlineMessageId: text('offline_message_id')
      .notNull()
      .references(() => offlineMessages.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').references(() => visitors.id, { onDelete: 'cascade' }),
    agentId: text('agent_id'),
    /** The address the reply went to: the offline message's, kept so erasure by address finds the reply too. */
    email: text('email').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('offline_replies_message').on(t.offlineMessageId, t.createdAt),
    // Erasure and export look a visitor up by both (RET-4).
    index('offline_replies_visitor').on(t.accountId, t.visitorId),
    index('offline_replies_email').on(t.accountId, t.email),
  ],
);

export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    shortName: text('short_name').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('canned_replies_short_name').on(t.accountId, t.shortName)],
);

export const tags = pgTable(
  'tags',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    color: text('color'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('tags_name').on(t.accountId, t.nameKey),
    check('tags_color', sql`${t.color} IS NULL OR ${t.color} ~ '^#[0-9a-f]{6}$'`),
  ],
);

export const conversationTags = pgTable(
  'conversation_tags',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    tagId: text('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.tagId] }),
    index('conversation_tags_tag').on(t.tagId),
    index('conversation_tags_visitor').on(t.visitorId),
  ],
);

export const departments = pgTable(
  'departments',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('departments_name').on(t.accountId, t.name)],
);

export const departmentAgents = pgTable(
  'department_agents',
  {
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.agentId] }),
    index('department_agents_agent').on(t.agentId),
  ],
);

export const websiteDepartments = pgTable(
  'website_departments',
  {
    websiteId: text('website_id')
      .notNull()
      .references(() => websites.id, { onDelete: 'cascade' }),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.websiteId, t.departmentId] })],
);

export const notes = pgTable(
  'notes',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    agentId: text('agent_id'),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('notes_conversation').on(t.conversationId, t.createdAt),
    index('notes_visitor').on(t.visitorId, t.accountId),
  ],
);

/** A file sent in a chat, as `../schema.ts` describes it. */
export const files = pgTable(
  'files',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id').notNull(),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    author: text('author', { enum: ['visitor', 'agent'] }).notNull(),
    agentId: text('agent_id'),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    createdAt: createdAt(),
    thumbnail: bytea('thumbnail'),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [
    uniqueIndex('files_message').on(t.messageId),
    index('files_visitor').on(t.visitorId, t.accountId),
    index('files_account').on(t.accountId, t.size),
  ],
);

/** RET-4: erasures to replay after a restore; keyed hashes only (see `../schema.ts`). */
export const erasureLedger = pgTable(
  'erasure_ledger',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['visitor', 'account'] }).notNull(),
    keyId: text('key_id').notNull(),
    subjectHash: text('subject_hash').notNull(),
    chatHashes: jsonb('chat_hashes').$type<string[]>().notNull(),
    emailHashes: jsonb('email_hashes').$type<string[]>().notNull(),
    erasedAt: bigint('erased_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('erasure_ledger_subject').on(t.subjectHash)],
);
