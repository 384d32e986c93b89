import type { StaffRole } from '@parley/db';

const EVERYONE: readonly StaffRole[] = ['viewer', 'support', 'privacy_officer', 'admin'];
/** Answer account holders and suspend or reinstate accounts. */
const SUPPORT: readonly StaffRole[] = ['support', 'admin'];
/** Disclosures, visitors' requests, retention and the policy. */
const PRIVACY: readonly StaffRole[] = ['privacy_officer', 'admin'];
const ADMIN: readonly StaffRole[] = ['admin'];

/**
 * The one table of who may call what: every procedure that needs a signed-in staff member, by its tRPC path, with
 * the roles allowed. The tRPC middleware refuses a path that is not here, so a new procedure is refused to everyone
 * until it is added; a test runs every entry for every role. Signing in and asking who is signed in need no role.
 */
export const PROCEDURE_ROLES = {
  'auth.signOut': EVERYONE,
  'overview.counts': EVERYONE,
  'accounts.list': EVERYONE,
  'accounts.search': EVERYONE,
  'accounts.suspend': SUPPORT,
  'accounts.reinstate': SUPPORT,
  'accounts.resetOwnerSecondFactor': SUPPORT,
  'accounts.demo': EVERYONE,
  'accounts.removeDemo': ADMIN,
  'accounts.createSignupInvitation': SUPPORT,
  'support.list': SUPPORT,
  'support.thread': SUPPORT,
  'support.reply': SUPPORT,
  'support.close': SUPPORT,
  'requests.list': PRIVACY,
  'disclosures.list': PRIVACY,
  'disclosures.options': PRIVACY,
  'disclosures.record': PRIVACY,
  'disclosures.decide': PRIVACY,
  'handoffs.list': EVERYONE,
  'retention.run': PRIVACY,
  'retention.runs': EVERYONE,
  'retention.rules': EVERYONE,
  'policy.versions': EVERYONE,
  'policy.diff': EVERYONE,
  'policy.document': EVERYONE,
  'policy.dataMap': EVERYONE,
  'policy.publish': PRIVACY,
  'notices.merger': ADMIN,
  'notices.outbox': EVERYONE,
  'marketing.audience': EVERYONE,
  'marketing.send': ADMIN,
  'statistics.installation': EVERYONE,
  'audit.list': EVERYONE,
  'staff.list': ADMIN,
  'staff.create': ADMIN,
  'staff.setRole': ADMIN,
  'staff.remove': ADMIN,
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffProcedurePath = keyof typeof PROCEDURE_ROLES;

export const mayCall = (role: StaffRole, path: string): boolean =>
  Object.hasOwn(PROCEDURE_ROLES, path) && PROCEDURE_ROLES[path as StaffProcedurePath].includes(role);
