import { LANGUAGES } from '@parley/policy';
import { type FileKind, WIDGET_LANGUAGES } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type { ProactiveGreetingSettings } from './websites/proactive-greeting.ts';
import type { WorkingHours } from './websites/working-hours.ts';

/**
 * Parley's tables. Every column is classified against the privacy policy in `classification.ts`; a test reads the
 * migrated database and fails on a column that is not classified there. Timestamps are milliseconds since the epoch.
 */

const createdAt = () => integer('created_at').notNull();

/** A business using Parley (COL-1). Its contact details are the account holder's. */
export const accounts = sqliteTable(
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
    preChatForm: integer('pre_chat_form', { mode: 'boolean' }).notNull().default(false),
    /** Days an owner has to answer a visitor's request (RET-4); the policy's deadline by default. */
    requestDeadlineDays: integer('request_deadline_days').notNull().default(30),
    apiKeyHash: text('api_key_hash'),
    createdAt: createdAt(),
    closedAt: integer('closed_at'),
  },
  (t) => [check('accounts_region_code', sql`length(${t.region}) = 2 AND ${t.region} = upper(${t.region})`)],
);

/**
 * COL-3: no column can hold a card number. The processor's token, brand, last four digits and expiry only; the
 * CHECK constraints refuse anything longer than four digits in `last4` even if application code is bypassed.
 */
export const paymentCards = sqliteTable(
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
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('payment_cards_last4', sql`length(${t.last4}) = 4 AND ${t.last4} NOT GLOB '*[^0-9]*'`),
    check(
      'payment_cards_token_not_pan',
      sql`${t.processorToken} NOT GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'`,
    ),
    check('payment_cards_exp', sql`${t.expMonth} BETWEEN 1 AND 12 AND ${t.expYear} BETWEEN 2000 AND 2100`),
  ],
);

/**
 * A website an account puts the widget on: its own public key (the visitor socket's `account` parameter), the
 * origins it may be embedded on, and how the widget looks and behaves there. Settings of the business, not of any
 * person. `origins` empty: any origin, so a new installation works before its owner lists them.
 */
export const websites = sqliteTable(
  'websites',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull().unique(),
    name: text('name').notNull(),
    /** `https://host[:port]` origins, normalised. */
    origins: text('origins', { mode: 'json' }).$type<string[]>().notNull(),
    color: text('color').notNull(),
    position: text('position', { enum: ['right', 'left'] }).notNull(),
    launcherLabel: text('launcher_label'),
    greeting: text('greeting'),
    agentDisplay: text('agent_display', { enum: ['name', 'initials'] }).notNull(),
    /** Widget language codes, the website's default first. */
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
    preChatName: text('pre_chat_name', { enum: ['off', 'optional', 'required'] }).notNull(),
    preChatEmail: text('pre_chat_email', { enum: ['off', 'optional', 'required'] }).notNull(),
    /** Null: always open. */
    hours: text('hours', { mode: 'json' }).$type<WorkingHours>(),
    transcripts: integer('transcripts', { mode: 'boolean' }).notNull(),
    ratings: integer('ratings', { mode: 'boolean' }).notNull(),
    createdAt: createdAt(),
    /** Null: no proactive greeting. */
    proactiveGreeting: text('proactive_greeting', { mode: 'json' }).$type<ProactiveGreetingSettings>(),
    // What agents see of a visitor beside the chat: each item off until the owner turns it on, never under GPC/DNT.
    contextPages: integer('context_pages', { mode: 'boolean' }).notNull().default(false),
    contextLocalTime: integer('context_local_time', { mode: 'boolean' }).notNull().default(false),
    contextCountry: integer('context_country', { mode: 'boolean' }).notNull().default(false),
    contextBrowser: integer('context_browser', { mode: 'boolean' }).notNull().default(false),
    contextHistory: integer('context_history', { mode: 'boolean' }).notNull().default(false),
    /** The kinds of file visitors may send from this website (`FILE_KINDS`); images and PDF until the owner chooses. */
    fileKinds: text('file_kinds', { mode: 'json' }).$type<FileKind[]>().notNull().default(['image', 'pdf']),
  },
  (t) => [
    index('websites_account').on(t.accountId),
    check(
      'websites_color',
      sql`length(${t.color}) = 7 AND ${t.color} GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'`,
    ),
  ],
);

/** People who answer chats (COL-2); the account owner is an agent with role `owner`, who may make others `admin`. */
export const agents = sqliteTable(
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
    online: integer('online', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    removedAt: integer('removed_at'),
    // RET-2: the agent's own profile. What visitors see: the display name, else the initials, else the name.
    displayName: text('display_name'),
    initials: text('initials'),
    notifySound: integer('notify_sound', { mode: 'boolean' }).notNull().default(true),
    notifyDesktop: integer('notify_desktop', { mode: 'boolean' }).notNull().default(false),
    notifyMissedMail: integer('notify_missed_mail', { mode: 'boolean' }).notNull().default(true),
    // The dashboard's language the agent chose; until they choose, the dashboard follows their browser.
    language: text('language', { enum: ['en', 'de'] }),
    // Routing: how many chats at once the account gives the agent, and when they were last given one, so that new
    // chats go round the agents of a department, least recently given first.
    capacity: integer('capacity').notNull().default(3),
    lastAssignedAt: integer('last_assigned_at'),
  },
  (t) => [uniqueIndex('agents_email').on(t.email), index('agents_account').on(t.accountId)],
);

/**
 * RET-2: a single-use link mailed to a person, to confirm a new sign-in email or to set a new password. Only a hash
 * of its token is kept, with the address a change of email waits to confirm; the row goes when the link is used.
 */
export const personLinks = sqliteTable(
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
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('person_links_agent').on(t.agentId, t.purpose)],
);

/** COL-2: a one-time link; only a hash of its token is kept. */
export const agentInvitations = sqliteTable(
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
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
  },
  (t) => [index('agent_invitations_account').on(t.accountId)],
);

/** Server-side record of a sign-in, so that signing out revokes the encrypted cookie (CK-1). */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userKind: text('user_kind', { enum: ['agent', 'staff'] }).notNull(),
    userId: text('user_id').notNull(),
    csrfTokenHash: text('csrf_token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userKind, t.userId)],
);

/** People who run the installation and use the admin console. */
export const operatorStaff = sqliteTable('operator_staff', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  removedAt: integer('removed_at'),
  /** What the member may do in the console (`STAFF_ROLES`); staff from before roles existed had every right. */
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
export const secondFactors = sqliteTable(
  'second_factors',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').references(() => agents.id, { onDelete: 'cascade' }),
    staffId: text('staff_id').references(() => operatorStaff.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    confirmedAt: integer('confirmed_at'),
    lastStep: integer('last_step'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('second_factors_agent').on(t.agentId),
    uniqueIndex('second_factors_staff').on(t.staffId),
    check('second_factors_one_person', sql`(${t.agentId} IS NULL) <> (${t.staffId} IS NULL)`),
  ],
);

/** SEC-1: single-use recovery codes of a second factor, kept only as hashes; a code's row goes when it is used. */
export const recoveryCodes = sqliteTable(
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
export const visitors = sqliteTable(
  'visitors',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    chatIdHash: text('chat_id_hash'),
    /** False under GPC or DNT (SIG-1): the chat id is then a session cookie and the visitor is not recognised later. */
    persistent: integer('persistent', { mode: 'boolean' }).notNull(),
    name: text('name'),
    email: text('email'),
    country: text('country'),
    locale: text('locale'),
    currentPage: text('current_page'),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    // Context a website turned on: the visitor's IANA time zone, and their browser's and system's family (no version).
    timeZone: text('time_zone'),
    browser: text('browser'),
    system: text('system'),
  },
  (t) => [
    uniqueIndex('visitors_chat_id').on(t.accountId, t.chatIdHash),
    index('visitors_email').on(t.accountId, t.email),
  ],
);

export const conversations = sqliteTable(
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
    startedAt: integer('started_at').notNull(),
    firstResponseAt: integer('first_response_at'),
    closedAt: integer('closed_at'),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    /** Transcripts of this conversation queued for mail; `MAIL_LIMITS` caps it. */
    transcriptsSent: integer('transcripts_sent').notNull().default(0),
    /** The website the visitor chatted from; null for chats older than websites, or once the website is deleted. */
    websiteId: text('website_id'),
    /** When a node claimed the mail telling the agents this chat was missed: it is sent once, by one node. */
    missedMailAt: integer('missed_mail_at'),
    /** Read receipts: the last message the visitor has seen, and when; then the same for the account's agents. */
    visitorSeenId: text('visitor_seen_id'),
    visitorSeenAt: integer('visitor_seen_at'),
    agentSeenId: text('agent_seen_id'),
    agentSeenAt: integer('agent_seen_at'),
    /** The department the visitor asked for, whose agents the chat is routed to; null: any agent of the account. */
    departmentId: text('department_id').references(() => departments.id, { onDelete: 'set null' }),
    /** When an agent reported the conversation as spam: it then leaves the inbox, the history's default list and the statistics. */
    spamAt: integer('spam_at'),
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

export const messages = sqliteTable(
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
  },
  (t) => [
    // Every index is written on every chat message, so there is only one: it also serves every lookup by
    // conversation (a conversation's messages are then sorted by time, a small sort). Erasure finds a visitor's
    // messages through their conversations (the classification's `via`), not through an index on the visitor.
    uniqueIndex('messages_client_key').on(t.conversationId, t.author, t.clientKey),
  ],
);

/** Left when no agent is online. */
export const offlineMessages = sqliteTable(
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
    handledAt: integer('handled_at'),
    /** Past the account's hourly limit on offline-message mail: kept, not mailed, and waiting for an agent. */
    mailHeld: integer('mail_held', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('offline_messages_client_key').on(t.accountId, t.clientKey),
    index('offline_messages_email').on(t.accountId, t.email),
    // Erasure and export look a visitor up by both (RET-4).
    index('offline_messages_visitor').on(t.accountId, t.visitorId),
  ],
);

/** Every consent or opt-out, with the policy version and a hash of the exact text shown. */
export const consentRecords = sqliteTable(
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
export const marketingPreferences = sqliteTable('marketing_preferences', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  optedIn: integer('opted_in', { mode: 'boolean' }).notNull(),
  source: text('source', { enum: ['signup', 'dashboard', 'unsubscribe_link', 'admin'] }).notNull(),
  changedAt: integer('changed_at').notNull(),
});

/** RET-4: a visitor's request through the account. Once erased, `visitor_id` is cleared and the record stays. */
export const dataSubjectRequests = sqliteTable(
  'data_subject_requests',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id'),
    kind: text('kind', { enum: ['access', 'export', 'rectification', 'erasure'] }).notNull(),
    receivedAt: integer('received_at').notNull(),
    deadlineAt: integer('deadline_at').notNull(),
    completedAt: integer('completed_at'),
    /** What was done, without personal data (e.g. row counts). */
    outcome: text('outcome'),
  },
  (t) => [index('dsr_account').on(t.accountId, t.completedAt), index('dsr_visitor').on(t.visitorId)],
);

/** SHR-1: legal requests for data. */
export const disclosures = sqliteTable('disclosures', {
  id: text('id').primaryKey(),
  requester: text('requester').notNull(),
  legalBasis: text('legal_basis').notNull(),
  categories: text('categories', { mode: 'json' }).$type<string[]>().notNull(),
  accountId: text('account_id'),
  receivedAt: integer('received_at').notNull(),
  approvedBy: text('approved_by'),
  approvedAt: integer('approved_at'),
  disclosedAt: integer('disclosed_at'),
  status: text('status', { enum: ['received', 'approved', 'refused', 'disclosed'] }).notNull(),
});

/** SHR-1: every hand-off to a processor, naming the categories sent and those dropped. */
export const processorHandoffs = sqliteTable('processor_handoffs', {
  id: text('id').primaryKey(),
  processorId: text('processor_id').notNull(),
  activity: text('activity').notNull(),
  accountId: text('account_id'),
  sentFields: text('sent_fields', { mode: 'json' }).$type<string[]>().notNull(),
  droppedFields: text('dropped_fields', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: createdAt(),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorKind: text('actor_kind', { enum: ['agent', 'staff', 'system', 'visitor', 'api'] }).notNull(),
    actorId: text('actor_id'),
    accountId: text('account_id'),
    action: text('action').notNull(),
    /** Ids and counts only, never personal data. */
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created').on(t.createdAt), index('audit_log_account').on(t.accountId)],
);

/** LOG-1: IPs are truncated before they reach this table; no cookie values, no query strings. */
export const accessLog = sqliteTable(
  'access_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
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

export const policyVersions = sqliteTable('policy_versions', {
  version: text('version').primaryKey(),
  date: text('date').notNull(),
  summary: text('summary').notNull(),
  contentJson: text('content_json').notNull(),
  significant: integer('significant', { mode: 'boolean' }).notNull(),
  publishedAt: integer('published_at').notNull(),
});

/**
 * CHG-1: when this installation first ran each version of the policy, when the notice of its change was queued,
 * and so when it comes into force here. Installations upgrade on different days, so these dates are theirs alone.
 */
export const policyVersionRuns = sqliteTable('policy_version_runs', {
  version: text('version').primaryKey(),
  firstRunAt: integer('first_run_at').notNull(),
  noticeQueuedAt: integer('notice_queued_at'),
  inForceAt: integer('in_force_at').notNull(),
});

/** Mail waiting to be sent; drained by the mailer. */
export const noticeOutbox = sqliteTable(
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
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Until when a mailer has taken the mail to send; another takes it after that, if it is still unsent. */
    claimedUntil: integer('claimed_until'),
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
export const mailLimits = sqliteTable(
  'mail_limits',
  {
    scope: text('scope', { enum: ['recipient', 'offline_messages'] }).notNull(),
    /** `recipient`: a keyed hash of the address; `offline_messages`: the account's id. */
    key: text('key').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** Installation secrets (session keyring, signing key), generated on first start. */
export const installationSecrets = sqliteTable(
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

/**
 * COL-1: a business's sign-up, waiting for its owner to confirm the email address by the link mailed to it. Nothing
 * of it is an account yet: confirming creates the account in the installation's region (COL-4) and its consent
 * record; an unconfirmed sign-up is deleted by the retention sweep once its link has expired. Only the link's hash
 * and the password's scrypt hash are kept. The policy version and the hash of the text shown become the consent
 * record.
 */
export const pendingSignups = sqliteTable('pending_signups', {
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
  /** Confirmation mails queued for it, and when the last one was: resending is limited by both. */
  mailsSent: integer('mails_sent').notNull(),
  lastMailedAt: integer('last_mailed_at').notNull(),
  createdAt: createdAt(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * One-time tokens of the installation itself, kept only as hashes: the setup link printed while no staff member
 * exists, and the invitation codes staff make for sign-up by invitation. A token is used once, or expires.
 */
export const installationTokens = sqliteTable(
  'installation_tokens',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['setup', 'signup_invitation'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('installation_tokens_kind').on(t.kind, t.expiresAt)],
);

// The operator's console: suspended accounts, and the support threads account holders open with the operator (COM-1).

/**
 * An account the operator has suspended: its widgets show the offline form and its agents cannot sign in until it
 * is reinstated, which deletes the row. Who suspended it is in the audit log.
 */
export const accountSuspensions = sqliteTable('account_suspensions', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  /** Shown to staff, never to the account: why the operator suspended the business. */
  reason: text('reason').notNull(),
  suspendedAt: integer('suspended_at').notNull(),
});

/** COM-1: a request an account holder sends the operator, answered by support staff in the console. */
export const supportThreads = sqliteTable(
  'support_threads',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The owner or admin who opened it; cleared if they are erased. */
    agentId: text('agent_id'),
    subject: text('subject').notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    createdAt: createdAt(),
    /** The newest message's time, to sort threads and tell which are unread. */
    lastMessageAt: integer('last_message_at').notNull(),
    lastAuthor: text('last_author', { enum: ['account', 'staff'] }).notNull(),
    /** When the account's side last opened the thread: a newer staff reply is unread. */
    accountReadAt: integer('account_read_at'),
    /** When support staff last opened the thread: a newer message from the account is unread. */
    staffReadAt: integer('staff_read_at'),
    closedAt: integer('closed_at'),
  },
  (t) => [index('support_threads_account').on(t.accountId, t.lastMessageAt)],
);

/** COM-1: one message of a support thread, from the account's side or from support staff. */
export const supportMessages = sqliteTable(
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

/**
 * The pages a visitor opened during a conversation, on a website that shows them: the path alone, with ids masked.
 * Kept as long as the conversation, and deleted with it.
 */
export const pageVisits = sqliteTable(
  'page_visits',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    path: text('path').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('page_visits_conversation').on(t.conversationId, t.at)],
);

// Unwanted visitors: blocks an agent puts on a visitor (SEC-1).

/**
 * ABU-1: a visitor an agent blocked, by the hash of their chat id and the network their address belongs to (an IPv4
 * /24 or an IPv6 /48, never the full address), until `expires_at`. The visitor's widget cannot chat with the
 * account while either matches. Erasing the visitor clears `visitor_id` but keeps the block until it ends.
 */
export const visitorBlocks = sqliteTable(
  'visitor_blocks',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The visitor blocked, while they are not erased: their access export shows the block. */
    visitorId: text('visitor_id'),
    chatIdHash: text('chat_id_hash'),
    /** `203.0.113.0/24` or `2001:db8:1::/48`. */
    network: text('network'),
    reason: text('reason'),
    /** The agent who blocked; cleared when the agent is removed. */
    blockedBy: text('blocked_by'),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [
    index('visitor_blocks_chat_id').on(t.accountId, t.chatIdHash),
    index('visitor_blocks_network').on(t.accountId, t.network),
    index('visitor_blocks_visitor').on(t.visitorId),
  ],
);

/** An agent's answer to an offline message, mailed to the address the visitor gave, threaded under their message. */
export const offlineReplies = sqliteTable(
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

/**
 * A reply an account's agents insert by its short name (`/refund`). Written by owners and admins for the business,
 * about no one; `{visitor.name}` and `{agent.name}` are filled in by the dashboard when it is inserted.
 */
export const cannedReplies = sqliteTable(
  'canned_replies',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Lower-case letters, digits and dashes, unique in the account. */
    shortName: text('short_name').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
    /** The owner or admin who last wrote it; cleared if they are erased. */
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('canned_replies_short_name').on(t.accountId, t.shortName)],
);

/** A label an account's owners define for conversations, e.g. "billing". */
export const tags = sqliteTable(
  'tags',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Unique in the account, whatever its case. */
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    /** `#rrggbb`, or null for the dashboard's own colour. */
    color: text('color'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('tags_name').on(t.accountId, t.nameKey),
    check(
      'tags_color',
      sql`${t.color} IS NULL OR (length(${t.color}) = 7 AND ${t.color} GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')`,
    ),
  ],
);

/**
 * A tag on a conversation: what an agent says the chat was about, so about its visitor too. It carries the visitor
 * to be exported and erased with them, and goes with the conversation or the tag.
 */
export const conversationTags = sqliteTable(
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

/** A team of an account's agents that chats are routed to, e.g. "Sales" or "Support". The business's own names. */
export const departments = sqliteTable(
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

/** Which agents belong to which departments; an agent may belong to several. */
export const departmentAgents = sqliteTable(
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

/** The departments a website's pre-chat form offers the visitor; none: the form asks no department. */
export const websiteDepartments = sqliteTable(
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

/**
 * An internal note an agent keeps on a conversation: shown to the account's agents only, never sent to the visitor
 * nor mailed in a transcript, but part of what is held about the visitor (exported and erased with them).
 */
export const notes = sqliteTable(
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

/**
 * A file sent in a chat, by the visitor or an agent: an image (re-encoded without its metadata, with a thumbnail) or
 * a document, its type found in its bytes. Kept in the store, not in a folder: every node reaches it, erasure deletes
 * its bytes in the transaction that deletes its rows, and backups hold it. It belongs to the message that carries
 * it, and goes with that message (and so with its conversation). `thumbnail` and `bytes` come last, so that reading
 * a file's details never reads past them.
 */
export const files = sqliteTable(
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
    /** The name the sender's device gave, without a path or control characters. */
    name: text('name').notNull(),
    /** Found in the bytes: `image/png`, `image/jpeg`, `image/gif`, `image/webp`, `application/pdf`, `text/plain`. */
    contentType: text('content_type').notNull(),
    /** Bytes of `bytes`; an account's files together stay within its quota. */
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    createdAt: createdAt(),
    /** An image's thumbnail, WebP. */
    thumbnail: blob('thumbnail', { mode: 'buffer' }),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [
    // A message's file is found by its message on every read of messages.
    uniqueIndex('files_message').on(t.messageId),
    // Erasure and export look a visitor up by both (RET-4).
    index('files_visitor').on(t.visitorId, t.accountId),
    // The quota sums an account's sizes from this index alone, without reading a file.
    index('files_account').on(t.accountId, t.size),
  ],
);

/**
 * RET-4: one row per erasure (of a visitor, or the closing of an account), kept so that restoring a backup or
 * copying a store erases again what was erased since the copy was made (`erasure-ledger.ts`). It holds no personal
 * data: only keyed hashes (HMAC-SHA256 under the installation's ledger key, named by `keyId`) of the ids and
 * addresses that find the erased rows, which nobody can turn back into an id or an address. Kept for as long as a
 * backup of the installation may be restored; the retention sweep leaves it alone.
 */
export const erasureLedger = sqliteTable(
  'erasure_ledger',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['visitor', 'account'] }).notNull(),
    keyId: text('key_id').notNull(),
    /** The hash of the visitor's or the account's id. */
    subjectHash: text('subject_hash').notNull(),
    /** The hashes of the visitor's conversations' ids. */
    chatHashes: text('chat_hashes', { mode: 'json' }).$type<string[]>().notNull(),
    /** The hashes of the addresses the visitor gave, trimmed and in lower case. */
    emailHashes: text('email_hashes', { mode: 'json' }).$type<string[]>().notNull(),
    erasedAt: integer('erased_at').notNull(),
  },
  (t) => [index('erasure_ledger_subject').on(t.subjectHash)],
);
