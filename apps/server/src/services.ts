import type { ParleyDb } from '@parley/db';
import type { Account, Agent, MessageWriter, Session } from '@parley/db/chat';
import type { Clock, MailLinkThrottle, Presence, SignInThrottle, WindowCounter } from '@parley/live';
import type { CookieDeclaration, PolicyContent, PolicyModel } from '@parley/policy';
import type { AccessLogWriter } from './access-log/access-log.ts';
import type { Secrets } from './auth/secrets.ts';
import type { ServerBus } from './delivery/bus.ts';
import type { FileLinks } from './files/file-links.ts';
import type { Logger } from './logger.ts';
import type { ChatMetrics } from './metrics/metrics.ts';
import type { Assets } from './paths.ts';
import type { SocketRegistry } from './sockets/socket-channel.ts';

/** Settings from the environment that routes need. */
export interface ServerConfig {
  /** The public origin (no trailing slash), for links in mail and the same-origin check behind a proxy. */
  publicUrl?: string;
  /** Lower-case name of a header a proxy sets to the visitor's country. */
  countryHeader?: string;
  trustProxy: boolean;
  /** COL-1: who may sign a business up from the public site (PARLEY_SIGNUP); nobody when unset. */
  signup?: 'open' | 'invite' | 'off';
  /** SEC-1: whether account owners must sign in with a second factor (PARLEY_OWNER_2FA). */
  ownerSecondFactor: 'required' | 'optional';
  /** SEC-1: new conversations one account may be asked for per minute (`NEW_CONVERSATIONS_PER_MINUTE`). */
  newConversationsPerMinute: number;
  /** The largest file a visitor or an agent may send, in bytes (PARLEY_FILE_MAX_MIB). */
  fileMaxBytes: number;
  /** The bytes the files of one account may take together (PARLEY_FILE_QUOTA_MIB). */
  fileQuotaBytes: number;
}

/** Everything a route or socket handler works with, built once by `createApp`. */
export interface Services {
  db: ParleyDb;
  config: ServerConfig;
  /** The installation's policy: every version, each with the date it comes into force here. */
  policy: PolicyModel;
  /** The content of the version in force now (CHG-1): what is collected and which cookies may be set. */
  readonly content: PolicyContent;
  readonly policyVersion: { version: string; date: string };
  readonly cookies: readonly CookieDeclaration[];
  secrets: Secrets;
  /** Signs the links files are served by, valid for a short while from `clock`'s now. */
  fileLinks: FileLinks;
  clock: Clock;
  bus: ServerBus;
  writer: MessageWriter;
  presence: Presence;
  sockets: SocketRegistry;
  accessLog: AccessLogWriter;
  throttle: SignInThrottle;
  /** RET-2: limits password-reset mail per email and per network. */
  mailLinks: MailLinkThrottle;
  /** COL-1: counts sign-ups and confirmation mails asked for again, per client address and email address. */
  signupThrottle: SignInThrottle;
  /** SEC-1: counts the new conversations each account is asked for, per minute, on every node. */
  windows: WindowCounter;
  assets: Assets;
  /** The live state, as readiness asks it whether it answers. */
  live: { ping(): Promise<void> };
  log: Logger;
  /** What the admin listener's /metrics reports: sockets, messages, delivery latency, queues. */
  metrics: ChatMetrics;
}

/** A signed-in agent, their account and the sign-in behind the request. */
export interface AgentAuth {
  agent: Agent;
  account: Account;
  session: Session;
}

export interface AppEnv {
  Variables: {
    auth: AgentAuth;
  };
}
