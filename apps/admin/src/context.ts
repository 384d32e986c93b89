import type { Keyring } from '@parley/cookies';
import type { ParleyDb, SecondFactorKeys, StaffSession } from '@parley/db';
import { InMemorySignInThrottle, type SignInThrottle } from '@parley/live';
import { contentInForce, type PolicyContent, type PolicyModel } from '@parley/policy';
import { ephemeralSecondFactorKeys } from './second-factor.ts';

export interface AdminAppOptions {
  db: ParleyDb;
  /** The installation's policy (`policyForInstallation`): retention, categories, cookies and versions come from it. */
  policy: PolicyModel;
  /** Seals the `parley_admin_session` cookie; the chat server passes its own. */
  keyring: Keyring;
  now?: () => number;
  /** COM-2: the chat server's signed one-click unsubscribe link. Without it, marketing mail cannot be sent. */
  unsubscribeUrl?: (accountId: string) => string;
  /** The public policy page, linked from policy-change and merger notices. */
  policyUrl?: string;
  /** Where mail goes as `.eml` files when no SMTP server is configured, shown with the outbox. */
  mailDirectory?: string;
  /** Origins besides the request's own that may send mutations, e.g. behind a reverse proxy. */
  allowedOrigins?: string[];
  /** The built UI (`dist/public`); found beside the code when not given. */
  publicDirectory?: string;
  /** Where internal errors are reported; never given request input. */
  logError?: (message: string) => void;
  /** SEC-1: counts sign-in attempts; one process's memory by default, on the console's clock. */
  signInThrottle?: SignInThrottle;
  /** Closes the open sockets of an account staff closed, on every node; the chat server passes its own. */
  onAccountClosed?: (accountId: string) => Promise<void>;
  /** SEC-1: seal staff's TOTP secrets; the chat server passes the installation's. Fresh and in memory if not given. */
  secondFactorKeys?: SecondFactorKeys;
  /**
   * Closes every open socket of an account on every node, agents' and visitors' (the chat server publishes on its
   * bus). Without it a suspension still refuses new sign-ins and chats, but open ones stay until they reconnect.
   */
  closeAccountSockets?: (accountId: string) => Promise<void>;
  /** The dashboard's address, linked from the mail that tells an account holder support has answered (COM-1). */
  dashboardUrl?: string;
}

/** What every procedure can reach, built once per app. */
export interface AdminDeps {
  db: ParleyDb;
  policy: PolicyModel;
  /** The content of the version in force now (CHG-1). */
  readonly content: PolicyContent;
  keyring: Keyring;
  now: () => number;
  unsubscribeUrl: ((accountId: string) => string) | undefined;
  policyUrl: string | undefined;
  mailDirectory: string | undefined;
  allowedOrigins: ReadonlySet<string>;
  throttle: SignInThrottle;
  secondFactorKeys: SecondFactorKeys;
  logError: (message: string) => void;
  onAccountClosed: (accountId: string) => Promise<void>;
  closeAccountSockets: (accountId: string) => Promise<void>;
  dashboardUrl: string | undefined;
}

export interface AdminContext {
  deps: AdminDeps;
  req: Request;
  /** The peer's address, for the sign-in throttle only; unknown when the app is called without a socket. */
  clientAddress: string | undefined;
  /** Headers added to the response, for Set-Cookie. */
  resHeaders: Headers;
  session: StaffSession | null;
}

export function adminDeps(options: AdminAppOptions): AdminDeps {
  const now = options.now ?? Date.now;
  return {
    db: options.db,
    policy: options.policy,
    get content() {
      return contentInForce(options.policy, now());
    },
    keyring: options.keyring,
    now,
    unsubscribeUrl: options.unsubscribeUrl,
    policyUrl: options.policyUrl,
    mailDirectory: options.mailDirectory,
    allowedOrigins: new Set(options.allowedOrigins ?? []),
    throttle: options.signInThrottle ?? new InMemorySignInThrottle({ now }),
    secondFactorKeys: options.secondFactorKeys ?? ephemeralSecondFactorKeys(),
    logError: options.logError ?? ((message) => console.error(message)),
    // Without a chat server in the process there are no sockets to close.
    onAccountClosed: options.onAccountClosed ?? (async () => {}),
    closeAccountSockets: options.closeAccountSockets ?? (async () => {}),
    dashboardUrl: options.dashboardUrl,
  };
}
