import type { PolicyContent, RetentionEvent, RetentionStore, SubjectId } from '@parley/policy';
import { MAIL_MAX_ATTEMPTS } from './notices.ts';
import type { FileStoreName } from './row-files.ts';

/**
 * RET-1: every column of every table, classified against the privacy policy.
 *
 * - `personal`: holds a policy data category about the listed subjects, for a data use. Its retention is the
 *   policy's rule for that category and subject, never a number typed here.
 * - `link`: a key that ties a row to one person (a visitor id, an agent id). It carries no data of its own and lives
 *   as long as its row; erasure follows these links to find every row about a person.
 * - `not_personal`: ids of things, statuses, timestamps, counters.
 *
 * A test reads every column of the migrated database and fails if one is missing here, if a category is not in the
 * policy, or if a category the policy says is stored has no column.
 */

export type ColumnClass =
  | { kind: 'personal'; category: string; subjects: SubjectId[]; use: string }
  | { kind: 'link'; subject: SubjectId; use: string; onErase: 'delete_row' | 'set_null'; via?: LinkRoute }
  | { kind: 'not_personal'; use: string };

/**
 * How rows are found by a link column that has no index of its own: `column` holds the id of a row of `table`, and
 * that row carries the same link. Each index is written on every insert, so a table written on every chat message
 * (messages) finds a visitor's rows through their conversations instead of keeping an index on the visitor.
 */
export interface LinkRoute {
  column: string;
  table: string;
}

export interface TableClass {
  /** By SQL column name. */
  columns: Record<string, ColumnClass>;
  /**
   * SQL expressions giving, for a row, the moment each retention clock starts (NULL while it has not started).
   * `collected` defaults to `created_at`. Referencing `t` as the table's alias.
   */
  clocks: Partial<Record<RetentionEvent, string>>;
  /** When the policy gives this table's copies of data a retention of their own (e.g. sent mail). */
  store?: RetentionStore;
  /**
   * SIG-1: SQL (table alias `t`), true for a row about a visitor who sent a privacy signal; such rows are kept no
   * longer than the policy's `signals.keepAtMost`. A visitor's `persistent` flag is false exactly then.
   */
  signal?: string;
  /**
   * Where a row may also be copied to a file named by its `id` (see `row-files.ts`). The file goes when the row goes
   * or loses personal data, whether to erasure or to retention.
   */
  files?: FileStoreName;
}

/** SQL: the visitor whose id is `visitorId` sent a privacy signal (SIG-1). */
const signalled = (visitorId: string) =>
  `EXISTS (SELECT 1 FROM visitors v WHERE v.id = ${visitorId} AND NOT v.persistent)`;

const personal = (category: string, subjects: SubjectId | SubjectId[], use: string): ColumnClass => ({
  kind: 'personal',
  category,
  subjects: Array.isArray(subjects) ? subjects : [subjects],
  use,
});
const link = (
  subject: SubjectId,
  use: string,
  onErase: 'delete_row' | 'set_null' = 'delete_row',
  via?: LinkRoute,
): ColumnClass => ({ kind: 'link', subject, use, onErase, ...(via ? { via } : {}) });
const plain = (use: string): ColumnClass => ({ kind: 'not_personal', use });

const SERVICE = 'essential.service';
const AUTH = 'essential.service.authentication';
const SECURITY = 'essential.service.security';
const LEGAL = 'essential.legal_obligation';
const PAYMENTS = 'essential.service.payment_processing';
const EMAIL = 'essential.service.notifications.email';
const SUPPORT = 'essential.service.operations.support';
const EVERYONE: SubjectId[] = ['account_holder', 'agent', 'visitor', 'operator_staff'];

/**
 * SQL (alias `t`): when a second factor's secret stops being needed: when its agent or staff member is removed, or a
 * day after an enrolment that was never confirmed.
 */
const SECOND_FACTOR_ENDED =
  'coalesce((SELECT a.removed_at FROM agents a WHERE a.id = t.agent_id), ' +
  '(SELECT s.removed_at FROM operator_staff s WHERE s.id = t.staff_id), ' +
  'CASE WHEN t.confirmed_at IS NULL THEN t.created_at + 86400000 END)';

export const classification: Record<string, TableClass> = {
  accounts: {
    columns: {
      id: plain(SERVICE),
      public_key: plain(SERVICE),
      organization: personal('user.contact.organization', 'account_holder', AUTH),
      contact_name: personal('user.name', 'account_holder', AUTH),
      contact_email: personal('user.contact.email', 'account_holder', AUTH),
      phone: personal('user.contact.phone_number', 'account_holder', AUTH),
      im_handle: personal('user.contact.instant_messaging', 'account_holder', AUTH),
      region: plain(SERVICE),
      pre_chat_form: plain(SERVICE),
      request_deadline_days: plain(LEGAL),
      api_key_hash: plain(AUTH),
      created_at: plain(SERVICE),
      closed_at: plain(SERVICE),
    },
    clocks: { account_closed: 't.closed_at' },
  },
  // The business's own settings for each website its widget is on: what the widget looks like and says, where it
  // may be embedded and when agents answer. Nothing about a person; they go with the account.
  websites: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      public_key: plain(SERVICE),
      name: plain(SERVICE),
      origins: plain(SECURITY),
      color: plain(SERVICE),
      position: plain(SERVICE),
      launcher_label: plain(SERVICE),
      greeting: plain(SERVICE),
      agent_display: plain(SERVICE),
      languages: plain(SERVICE),
      pre_chat_name: plain(SERVICE),
      pre_chat_email: plain(SERVICE),
      hours: plain(SERVICE),
      transcripts: plain(SERVICE),
      ratings: plain(SERVICE),
      created_at: plain(SERVICE),
      proactive_greeting: plain(SERVICE),
      context_pages: plain(SERVICE),
      context_local_time: plain(SERVICE),
      context_country: plain(SERVICE),
      context_browser: plain(SERVICE),
      context_history: plain(SERVICE),
      file_kinds: plain(SECURITY),
    },
    clocks: {},
  },
  payment_cards: {
    columns: {
      account_id: plain(PAYMENTS),
      processor_token: personal('user.financial.credit_card', 'account_holder', PAYMENTS),
      brand: personal('user.financial.credit_card', 'account_holder', PAYMENTS),
      last4: personal('user.financial.credit_card', 'account_holder', PAYMENTS),
      exp_month: personal('user.financial.credit_card', 'account_holder', PAYMENTS),
      exp_year: personal('user.financial.credit_card', 'account_holder', PAYMENTS),
      updated_at: plain(PAYMENTS),
    },
    clocks: { account_closed: '(SELECT a.closed_at FROM accounts a WHERE a.id = t.account_id)' },
  },
  agents: {
    columns: {
      id: link('agent', SERVICE),
      account_id: plain(SERVICE),
      email: personal('user.contact.email', 'agent', AUTH),
      name: personal('user.name', 'agent', SERVICE),
      password_hash: personal('user.authorization.password', 'agent', AUTH),
      role: plain(AUTH),
      online: plain(SERVICE),
      created_at: plain(SERVICE),
      removed_at: plain(SERVICE),
      display_name: personal('user.name', 'agent', SERVICE),
      initials: personal('user.name', 'agent', SERVICE),
      notify_sound: personal('user.account.settings', 'agent', SERVICE),
      notify_desktop: personal('user.account.settings', 'agent', SERVICE),
      notify_missed_mail: personal('user.account.settings', 'agent', SERVICE),
      language: personal('user.account.settings', 'agent', SERVICE),
      // Routing state the account sets and the router keeps: a limit and a time, like `online`.
      capacity: plain(SERVICE),
      last_assigned_at: plain(SERVICE),
    },
    clocks: { agent_removed: 't.removed_at' },
  },
  person_links: {
    columns: {
      id: plain(AUTH),
      agent_id: link('agent', AUTH),
      purpose: plain(AUTH),
      token_hash: personal('system.authentication', 'agent', AUTH),
      // The address a change of sign-in email waits to confirm.
      new_email: personal('user.contact.email', 'agent', AUTH),
      created_at: plain(AUTH),
      expires_at: plain(AUTH),
    },
    // A link is spent when used (its row goes) or useless once it expires: then its secret and the address go.
    clocks: { session_ended: 't.expires_at', agent_removed: 't.expires_at' },
  },
  agent_invitations: {
    columns: {
      id: plain(AUTH),
      account_id: plain(AUTH),
      email: personal('user.contact.email', 'agent', AUTH),
      name: personal('user.name', 'agent', AUTH),
      token_hash: personal('system.authentication', 'agent', AUTH),
      invited_by: link('agent', AUTH),
      created_at: plain(AUTH),
      expires_at: plain(AUTH),
      accepted_at: plain(AUTH),
    },
    // An invitation ends when it is accepted or expires; that is when its secret and its copy of the email go.
    clocks: {
      agent_removed: 'coalesce(t.accepted_at, t.expires_at)',
      session_ended: 'coalesce(t.accepted_at, t.expires_at)',
    },
  },
  sessions: {
    columns: {
      id: personal('system.authentication', ['agent', 'operator_staff'], AUTH),
      user_kind: plain(AUTH),
      user_id: link('agent', AUTH),
      csrf_token_hash: personal('system.authentication', ['agent', 'operator_staff'], SECURITY),
      created_at: plain(AUTH),
      expires_at: plain(AUTH),
    },
    clocks: { session_ended: 't.expires_at' },
  },
  operator_staff: {
    columns: {
      id: link('operator_staff', AUTH),
      email: personal('user.contact.email', 'operator_staff', AUTH),
      name: personal('user.name', 'operator_staff', AUTH),
      password_hash: personal('user.authorization.password', 'operator_staff', AUTH),
      created_at: plain(AUTH),
      removed_at: plain(AUTH),
      role: plain(AUTH),
    },
    clocks: { agent_removed: 't.removed_at' },
  },
  // SEC-1: a second factor ends with its person (or, never confirmed, a day after it was begun).
  second_factors: {
    columns: {
      id: plain(SECURITY),
      agent_id: link('agent', SECURITY),
      staff_id: link('operator_staff', SECURITY),
      // Sealed with AES-256-GCM under an installation key, never in clear.
      secret: personal('system.authentication', ['agent', 'operator_staff'], SECURITY),
      confirmed_at: plain(SECURITY),
      last_step: plain(SECURITY),
      created_at: plain(SECURITY),
    },
    clocks: { session_ended: SECOND_FACTOR_ENDED },
  },
  recovery_codes: {
    columns: {
      factor_id: plain(SECURITY),
      code_hash: personal('system.authentication', ['agent', 'operator_staff'], SECURITY),
      created_at: plain(SECURITY),
    },
    clocks: {
      session_ended: `(SELECT ${SECOND_FACTOR_ENDED.replaceAll('t.', 'f.')} FROM second_factors f WHERE f.id = t.factor_id)`,
    },
  },
  visitors: {
    columns: {
      id: link('visitor', SERVICE),
      account_id: plain(SERVICE),
      chat_id_hash: personal('user.device.cookie_id', 'visitor', SERVICE),
      persistent: personal('user.privacy_preferences', 'visitor', LEGAL),
      name: personal('user.name', 'visitor', SERVICE),
      email: personal('user.contact.email', 'visitor', SERVICE),
      country: personal('user.location.imprecise', 'visitor', SERVICE),
      locale: personal('user.demographic.language', 'visitor', SERVICE),
      current_page: personal('user.behavior.browsing_history', 'visitor', SERVICE),
      created_at: plain(SERVICE),
      last_seen_at: plain(SERVICE),
      time_zone: personal('user.location.imprecise', 'visitor', SERVICE),
      browser: personal('user.device.browser', 'visitor', SERVICE),
      system: personal('user.device.browser', 'visitor', SERVICE),
    },
    clocks: { last_activity: 't.last_seen_at' },
    signal: 'NOT t.persistent',
  },
  conversations: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE),
      status: plain(SERVICE),
      agent_id: link('agent', SERVICE, 'set_null'),
      started_at: plain(SERVICE),
      first_response_at: plain(SERVICE),
      closed_at: plain(SERVICE),
      rating: personal('user.content.private', 'visitor', SERVICE),
      rating_comment: personal('user.content.private', 'visitor', SERVICE),
      transcripts_sent: plain(SECURITY),
      website_id: plain(SERVICE),
      missed_mail_at: plain(SERVICE),
      visitor_seen_id: plain(SERVICE),
      visitor_seen_at: plain(SERVICE),
      agent_seen_id: plain(SERVICE),
      agent_seen_at: plain(SERVICE),
      department_id: plain(SERVICE),
      spam_at: plain(SERVICE),
      spam_reported_by: link('agent', SERVICE, 'set_null'),
    },
    clocks: { conversation_closed: 't.closed_at' },
    signal: signalled('t.visitor_id'),
  },
  messages: {
    columns: {
      id: plain(SERVICE),
      conversation_id: plain(SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE, 'delete_row', {
        column: 'conversation_id',
        table: 'conversations',
      }),
      author: plain(SERVICE),
      agent_id: link('agent', SERVICE, 'set_null'),
      body: personal('user.content.private', ['visitor', 'agent'], SERVICE),
      client_key: plain(SERVICE),
      created_at: plain(SERVICE),
      // PostgreSQL only: the order rows were written in, which SQLite keeps as the rowid.
      write_order: plain(SERVICE),
    },
    clocks: {
      conversation_closed: '(SELECT c.closed_at FROM conversations c WHERE c.id = t.conversation_id)',
    },
    signal: signalled('(SELECT c.visitor_id FROM conversations c WHERE c.id = t.conversation_id)'),
  },
  offline_messages: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE),
      name: personal('user.name', 'visitor', SERVICE),
      email: personal('user.contact.email', 'visitor', SERVICE),
      body: personal('user.content.private', 'visitor', SERVICE),
      client_key: plain(SERVICE),
      created_at: plain(SERVICE),
      handled_at: plain(SERVICE),
      mail_held: plain(SECURITY),
    },
    // An offline message is a conversation that ends as it is left.
    clocks: { last_activity: 't.created_at', conversation_closed: 't.created_at' },
    signal: signalled('t.visitor_id'),
  },
  consent_records: {
    columns: {
      id: plain(LEGAL),
      account_id: plain(LEGAL),
      visitor_id: link('visitor', LEGAL),
      agent_id: link('agent', LEGAL),
      scope: personal('user.privacy_preferences', ['visitor', 'account_holder'], LEGAL),
      choice: personal('user.privacy_preferences', ['visitor', 'account_holder'], LEGAL),
      policy_version: plain(LEGAL),
      text_hash: plain(LEGAL),
      // The language of the text shown, which says which text the hash is of; not a fact about the person.
      language: plain(LEGAL),
      created_at: plain(LEGAL),
    },
    clocks: {},
    store: 'consent_records',
  },
  marketing_preferences: {
    columns: {
      account_id: plain('marketing.communications.email'),
      opted_in: personal('user.privacy_preferences', 'account_holder', 'marketing.communications.email'),
      source: plain('marketing.communications.email'),
      changed_at: plain('marketing.communications.email'),
    },
    clocks: { account_closed: '(SELECT a.closed_at FROM accounts a WHERE a.id = t.account_id)' },
  },
  data_subject_requests: {
    columns: {
      id: plain(LEGAL),
      account_id: plain(LEGAL),
      visitor_id: link('visitor', LEGAL, 'set_null'),
      kind: plain(LEGAL),
      received_at: plain(LEGAL),
      deadline_at: plain(LEGAL),
      completed_at: plain(LEGAL),
      outcome: plain(LEGAL),
    },
    clocks: {},
  },
  disclosures: {
    columns: {
      id: plain(LEGAL),
      requester: plain(LEGAL),
      legal_basis: plain(LEGAL),
      categories: plain(LEGAL),
      account_id: plain(LEGAL),
      received_at: plain(LEGAL),
      approved_by: personal('user.unique_id.pseudonymous', 'operator_staff', LEGAL),
      approved_at: plain(LEGAL),
      disclosed_at: plain(LEGAL),
      status: plain(LEGAL),
    },
    clocks: { collected: 't.received_at' },
    store: 'disclosures',
  },
  processor_handoffs: {
    columns: {
      id: plain(LEGAL),
      processor_id: plain(LEGAL),
      activity: plain(LEGAL),
      account_id: plain(LEGAL),
      sent_fields: plain(LEGAL),
      dropped_fields: plain(LEGAL),
      created_at: plain(LEGAL),
    },
    clocks: {},
  },
  audit_log: {
    columns: {
      id: plain(SECURITY),
      actor_kind: plain(SECURITY),
      actor_id: personal('user.unique_id.pseudonymous', ['agent', 'operator_staff'], SECURITY),
      account_id: plain(SECURITY),
      action: plain(SECURITY),
      detail: plain(SECURITY),
      created_at: plain(SECURITY),
    },
    clocks: {},
  },
  access_log: {
    columns: {
      id: plain(SECURITY),
      at: plain(SECURITY),
      method: plain(SECURITY),
      route: plain(SECURITY),
      status: plain(SECURITY),
      duration_ms: plain(SECURITY),
      ip_truncated: personal('user.device.ip_address', EVERYONE, SECURITY),
      browser: personal('user.device.browser', EVERYONE, SECURITY),
      language: personal('user.demographic.language', EVERYONE, SECURITY),
      visitor_id: link('visitor', SECURITY),
    },
    clocks: { collected: 't.at' },
  },
  policy_versions: {
    columns: {
      version: plain(LEGAL),
      date: plain(LEGAL),
      summary: plain(LEGAL),
      content_json: plain(LEGAL),
      significant: plain(LEGAL),
      published_at: plain(LEGAL),
    },
    clocks: {},
  },
  policy_version_runs: {
    columns: {
      version: plain(LEGAL),
      first_run_at: plain(LEGAL),
      notice_queued_at: plain(LEGAL),
      in_force_at: plain(LEGAL),
    },
    clocks: {},
  },
  notice_outbox: {
    columns: {
      id: plain(EMAIL),
      kind: plain(EMAIL),
      account_id: plain(EMAIL),
      visitor_id: link('visitor', EMAIL),
      to_email: personal('user.contact.email', ['account_holder', 'agent', 'visitor'], EMAIL),
      subject: plain(EMAIL),
      body: personal('user.content.private', ['account_holder', 'agent', 'visitor'], EMAIL),
      headers: plain(EMAIL),
      created_at: plain(EMAIL),
      sent_at: plain(EMAIL),
      attempts: plain(EMAIL),
      last_error: plain(EMAIL),
      claimed_until: plain(EMAIL),
    },
    // Mail given up as undeliverable counts as sent from when it was queued, so that it too is swept.
    clocks: {
      sent: `COALESCE(t.sent_at, CASE WHEN t.attempts >= ${MAIL_MAX_ATTEMPTS} THEN t.created_at END)`,
    },
    store: 'outbox',
    // Without an SMTP server, mail is written to `.eml` files.
    files: 'mail',
  },
  mail_limits: {
    columns: {
      scope: plain(SECURITY),
      // A keyed hash of a recipient's address (or, for the offline-message limit, an account's id): it tells whether
      // an address was mailed without keeping the address.
      key: personal('user.unique_id.pseudonymous', 'visitor', SECURITY),
      window_start: plain(SECURITY),
      count: plain(SECURITY),
    },
    clocks: { collected: 't.window_start' },
    store: 'mail_limits',
  },
  pending_signups: {
    columns: {
      id: plain(AUTH),
      organization: personal('user.contact.organization', 'account_holder', AUTH),
      owner_name: personal('user.name', 'account_holder', AUTH),
      email: personal('user.contact.email', 'account_holder', AUTH),
      password_hash: personal('user.authorization.password', 'account_holder', AUTH),
      phone: personal('user.contact.phone_number', 'account_holder', AUTH),
      im_handle: personal('user.contact.instant_messaging', 'account_holder', AUTH),
      token_hash: personal('system.authentication', 'account_holder', AUTH),
      policy_version: plain(LEGAL),
      text_hash: plain(LEGAL),
      language: plain(LEGAL),
      mails_sent: plain(SECURITY),
      last_mailed_at: plain(SECURITY),
      created_at: plain(AUTH),
      expires_at: plain(AUTH),
    },
    // The policy keeps an unconfirmed sign-up until its link expires (`pending_signups`). Under a version without
    // that rule, the account holder's own periods run from the link's expiry, as if the account closed then.
    clocks: {
      collected: 't.created_at',
      account_closed: 't.expires_at',
      session_ended: 't.expires_at',
    },
    store: 'pending_signups',
  },
  installation_tokens: {
    columns: {
      id: plain(AUTH),
      kind: plain(AUTH),
      token_hash: plain(AUTH),
      created_at: plain(AUTH),
      expires_at: plain(AUTH),
      used_at: plain(AUTH),
    },
    clocks: {},
  },
  installation_secrets: {
    columns: {
      name: plain(AUTH),
      key_id: plain(AUTH),
      value: plain(AUTH),
      created_at: plain(AUTH),
    },
    clocks: {},
  },
  account_suspensions: {
    columns: {
      account_id: plain(SECURITY),
      // Why the operator suspended a business (unpaid, abuse): about the account, written by staff for staff.
      reason: plain(SECURITY),
      suspended_at: plain(SECURITY),
    },
    clocks: {},
  },
  support_threads: {
    columns: {
      id: plain(SUPPORT),
      account_id: plain(SUPPORT),
      agent_id: link('agent', SUPPORT, 'set_null'),
      subject: personal('user.content.private', 'account_holder', SUPPORT),
      status: plain(SUPPORT),
      created_at: plain(SUPPORT),
      last_message_at: plain(SUPPORT),
      last_author: plain(SUPPORT),
      account_read_at: plain(SUPPORT),
      staff_read_at: plain(SUPPORT),
      closed_at: plain(SUPPORT),
    },
    clocks: { conversation_closed: 't.closed_at' },
  },
  support_messages: {
    columns: {
      id: plain(SUPPORT),
      thread_id: plain(SUPPORT),
      account_id: plain(SUPPORT),
      author: plain(SUPPORT),
      agent_id: link('agent', SUPPORT, 'set_null'),
      staff_id: link('operator_staff', SUPPORT, 'set_null'),
      body: personal('user.content.private', 'account_holder', SUPPORT),
      created_at: plain(SUPPORT),
    },
    clocks: { conversation_closed: '(SELECT s.closed_at FROM support_threads s WHERE s.id = t.thread_id)' },
  },
  // The pages a visitor opened during a conversation; they go with the conversation, or sooner by their own rule.
  page_visits: {
    columns: {
      id: plain(SERVICE),
      conversation_id: plain(SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE, 'delete_row', {
        column: 'conversation_id',
        table: 'conversations',
      }),
      path: personal('user.behavior.browsing_history', 'visitor', SERVICE),
      at: plain(SERVICE),
    },
    clocks: { last_activity: '(SELECT v.last_seen_at FROM visitors v WHERE v.id = t.visitor_id)' },
    signal: signalled('t.visitor_id'),
  },
  // SEC-1: a block lasts until `expires_at`, at most the policy's retention for `visitor_blocks` after it was made;
  // the sweep deletes it then. The visitor's erasure clears the link and leaves the block to run out.
  visitor_blocks: {
    columns: {
      id: plain(SECURITY),
      account_id: plain(SECURITY),
      visitor_id: link('visitor', SECURITY, 'set_null'),
      chat_id_hash: personal('user.unique_id.pseudonymous', 'visitor', SECURITY),
      network: personal('user.device.ip_address', 'visitor', SECURITY),
      reason: personal('user.content.private', 'visitor', SECURITY),
      blocked_by: link('agent', SECURITY, 'set_null'),
      created_at: plain(SECURITY),
      expires_at: plain(SECURITY),
    },
    clocks: {},
    store: 'visitor_blocks',
  },
  offline_replies: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      offline_message_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE),
      agent_id: link('agent', SERVICE, 'set_null'),
      email: personal('user.contact.email', 'visitor', SERVICE),
      body: personal('user.content.private', ['visitor', 'agent'], SERVICE),
      created_at: plain(SERVICE),
    },
    // A reply belongs to its offline message's conversation, which ends as it is left.
    clocks: {
      last_activity: '(SELECT o.created_at FROM offline_messages o WHERE o.id = t.offline_message_id)',
      conversation_closed: '(SELECT o.created_at FROM offline_messages o WHERE o.id = t.offline_message_id)',
    },
    signal: signalled('t.visitor_id'),
  },
  // Texts the business's owners and admins write for its agents to reuse: about no one (names are placeholders
  // filled in only in the dashboard). Who last wrote one is a link to that agent. They go with the account.
  canned_replies: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      short_name: plain(SERVICE),
      body: plain(SERVICE),
      created_at: plain(SERVICE),
      updated_at: plain(SERVICE),
      updated_by: link('agent', SERVICE, 'set_null'),
    },
    clocks: {},
  },
  // The labels an account defines ("billing"): business settings, about no one.
  tags: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      name: plain(SERVICE),
      name_key: plain(SERVICE),
      color: plain(SERVICE),
      created_at: plain(SERVICE),
    },
    clocks: {},
  },
  // Which tags an agent put on a visitor's conversation says what the visitor wrote about: part of the chat's
  // content, kept as long as the conversation's messages and exported and erased with the visitor.
  conversation_tags: {
    columns: {
      conversation_id: plain(SERVICE),
      tag_id: personal('user.content.private', 'visitor', SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE),
      created_at: plain(SERVICE),
    },
    clocks: {
      conversation_closed: '(SELECT c.closed_at FROM conversations c WHERE c.id = t.conversation_id)',
    },
    signal: signalled('t.visitor_id'),
  },
  // Departments are the business's teams; membership ties an agent to them and goes with the agent.
  departments: {
    columns: {
      id: plain(SERVICE),
      account_id: plain(SERVICE),
      name: plain(SERVICE),
      created_at: plain(SERVICE),
    },
    clocks: {},
  },
  department_agents: {
    columns: {
      department_id: plain(SERVICE),
      agent_id: link('agent', SERVICE),
    },
    clocks: {},
  },
  website_departments: {
    columns: {
      website_id: plain(SERVICE),
      department_id: plain(SERVICE),
    },
    clocks: {},
  },
  // An internal note is chat content about the visitor, written by an agent: it lives and goes like a message.
  notes: {
    columns: {
      id: plain(SERVICE),
      conversation_id: plain(SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE),
      agent_id: link('agent', SERVICE, 'set_null'),
      body: personal('user.content.private', ['visitor', 'agent'], SERVICE),
      created_at: plain(SERVICE),
    },
    clocks: {
      conversation_closed: '(SELECT c.closed_at FROM conversations c WHERE c.id = t.conversation_id)',
    },
    signal: signalled('t.visitor_id'),
  },
  // A file sent in a chat is chat content like the message that carries it, whoever sent it: its name, its bytes and
  // an image's thumbnail. It lives as long as the conversation's messages and is exported and erased with the
  // visitor. Its type, size and dimensions say what kind of file it is, nothing of what it shows.
  files: {
    columns: {
      id: plain(SERVICE),
      message_id: plain(SERVICE),
      conversation_id: plain(SERVICE),
      account_id: plain(SERVICE),
      visitor_id: link('visitor', SERVICE),
      author: plain(SERVICE),
      agent_id: link('agent', SERVICE, 'set_null'),
      name: personal('user.content.private', ['visitor', 'agent'], SERVICE),
      content_type: plain(SERVICE),
      size: plain(SERVICE),
      width: plain(SERVICE),
      height: plain(SERVICE),
      created_at: plain(SERVICE),
      thumbnail: personal('user.content.private', ['visitor', 'agent'], SERVICE),
      bytes: personal('user.content.private', ['visitor', 'agent'], SERVICE),
    },
    clocks: {
      conversation_closed: '(SELECT c.closed_at FROM conversations c WHERE c.id = t.conversation_id)',
    },
    signal: signalled('t.visitor_id'),
  },
  // RET-4: what restoring a backup must erase again. Not personal data as Parley holds it: keyed hashes
  // (HMAC-SHA256 under a random installation key) of the ids and addresses that found the erased rows, which name
  // nobody and from which no id or address can be read back (only someone holding the key could test a guess); the
  // rows they found are gone. The policy states the record in RET-4 from 1.4.0 on. Kept for as long as a backup of the installation may
  // be restored, which Parley cannot know, so no retention clock: the sweep never deletes them.
  erasure_ledger: {
    columns: {
      id: plain(LEGAL),
      kind: plain(LEGAL),
      key_id: plain(LEGAL),
      subject_hash: plain(LEGAL),
      chat_hashes: plain(LEGAL),
      email_hashes: plain(LEGAL),
      erased_at: plain(LEGAL),
    },
    clocks: {},
  },
};

/**
 * CHG-1: the columns among `columns` of `table` that would store a category `content` does not declare as stored.
 * A version announced and not yet in force may add a kind of data; until it applies, nothing may collect it.
 */
export function undeclaredColumns(
  content: PolicyContent,
  table: string,
  columns: readonly string[],
): Array<{ column: string; category: string }> {
  const stored = new Set(content.categories.filter((c) => c.storage === 'stored').map((c) => c.key));
  return columns.flatMap((column) => {
    const kind = classification[table]?.columns[column];
    if (!kind) throw new Error(`${table}.${column} is not classified`);
    return kind.kind === 'personal' && !stored.has(kind.category)
      ? [{ column, category: kind.category }]
      : [];
  });
}
