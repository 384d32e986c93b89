import { AGENT_ROLES, type AgentRole } from '@parley/db/chat';
import type { AgentFrame, VisitorFrame } from '@parley/protocol';

/**
 * Who may do what, in one place: the rights, which roles hold them, and which right every HTTP route and every
 * socket frame needs. The routes and the agent socket enforce exactly this table (`auth/access.ts`), and a test
 * walks every registered route and every frame type of the protocol against it, so a route or frame without an
 * entry cannot ship.
 */
export const RIGHTS = {
  chat: 'answer live chats and offline messages, flag a child’s chat, report spam and block an unwanted visitor, in the conversations they may see',
  allConversations:
    'see and act on every conversation of the account, including other agents’ chats and the whole history',
  team: 'see the team with their email addresses, invite agents, remove them and change their roles',
  account:
    'change the account’s settings, websites, canned replies and tags, rotate its API key, export its data and lift blocks on visitors',
  privacy: 'handle visitors’ privacy requests: find, export, correct and erase visitors',
  statistics: 'read the account’s statistics',
  support: 'write to the installation’s operator and read its answers (COM-1)',
  ownership: 'close the account and make the account holder’s own choice about Parley’s product news',
} as const;
export type Right = keyof typeof RIGHTS;

const ALL_RIGHTS = Object.keys(RIGHTS) as Right[];

/**
 * An agent answers chats: waiting ones and the ones they hold or held. An admin runs the account with its owner:
 * everything except what only the account holder decides (closing the account, their own marketing choice).
 */
export const ROLE_RIGHTS: Readonly<Record<AgentRole, ReadonlySet<Right>>> = {
  owner: new Set(ALL_RIGHTS),
  admin: new Set(ALL_RIGHTS.filter((right) => right !== 'ownership')),
  agent: new Set(['chat']),
};

export const hasRight = (role: AgentRole, right: Right): boolean => ROLE_RIGHTS[role].has(right);

export const rolesWith = (right: Right): AgentRole[] => AGENT_ROLES.filter((role) => hasRight(role, right));

/**
 * What a route or frame needs: nothing (`public`: sign-in, invitation links, not-found answers), the customer API's
 * key (`api_key`), any signed-in agent (`signed_in`), or a right.
 */
export type Access = 'public' | 'api_key' | 'signed_in' | Right;

/** Every route the server registers under /app/api and /api, as `METHOD /path` the way Hono lists them. */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  // The dashboard API's middleware (no-store, same-origin writes, body limit) and its not-found answer.
  'ALL /app/api/*': 'public',
  'POST /app/api/sign-in': 'public',
  // Signing out only ever removes access, so it works with an expired session too.
  'POST /app/api/sign-out': 'public',
  // SEC-1: the second step of a sign-in carries its own signed challenge from the password step.
  'POST /app/api/sign-in/second-factor': 'public',
  'POST /app/api/sign-in/enrol': 'public',
  'POST /app/api/sign-in/enrol/confirm': 'public',
  'GET /app/api/me': 'signed_in',
  'GET /app/api/remembered-email': 'public',
  // RET-2: everyone corrects their own profile, email and password, and ends their own sign-ins.
  'GET /app/api/profile': 'signed_in',
  'PATCH /app/api/profile': 'signed_in',
  'POST /app/api/profile/email': 'signed_in',
  'POST /app/api/profile/password': 'signed_in',
  // SEC-1: everyone sets up or turns off their own second factor; resetting a teammate's is the team's right.
  'GET /app/api/second-factor': 'signed_in',
  'POST /app/api/second-factor/enrol': 'signed_in',
  'POST /app/api/second-factor/confirm': 'signed_in',
  'POST /app/api/second-factor/disable': 'signed_in',
  'DELETE /app/api/agents/:id/second-factor': 'team',
  'GET /app/api/sessions': 'signed_in',
  'DELETE /app/api/sessions/:id': 'signed_in',
  'POST /app/api/sessions/end-others': 'signed_in',
  // Links mailed to a person: the link's token is the proof, so nobody needs to be signed in.
  'POST /app/api/email-change/:token/confirm': 'public',
  'POST /app/api/password-reset': 'public',
  'GET /app/api/password-reset/:token': 'public',
  'POST /app/api/password-reset/:token': 'public',
  'GET /app/api/account': 'signed_in',
  'PATCH /app/api/account': 'account',
  'GET /app/api/account/export': 'account',
  'POST /app/api/api-key': 'account',
  // Every agent sees the account's websites; changing them is running the account.
  'GET /app/api/websites': 'signed_in',
  'POST /app/api/websites': 'account',
  'PUT /app/api/websites/:id': 'account',
  'DELETE /app/api/websites/:id': 'account',
  // Every agent reads the canned replies and tags and tags the conversations they may see; owners and admins, who
  // run the account, write the replies and define the tags.
  'GET /app/api/canned-replies': 'chat',
  'POST /app/api/canned-replies': 'account',
  'PUT /app/api/canned-replies/:id': 'account',
  'DELETE /app/api/canned-replies/:id': 'account',
  'GET /app/api/tags': 'chat',
  'POST /app/api/tags': 'account',
  'PUT /app/api/tags/:id': 'account',
  'DELETE /app/api/tags/:id': 'account',
  'PUT /app/api/conversations/:id/tags/:tagId': 'chat',
  'DELETE /app/api/conversations/:id/tags/:tagId': 'chat',
  // Every agent sees the departments and the team by name, to transfer a chat; shaping routing is the team right's,
  // and which departments a website offers is running the account.
  'GET /app/api/departments': 'signed_in',
  'POST /app/api/departments': 'team',
  'PATCH /app/api/departments/:id': 'team',
  'DELETE /app/api/departments/:id': 'team',
  'PUT /app/api/departments/:id/agents': 'team',
  'PUT /app/api/agents/:id/capacity': 'team',
  'GET /app/api/websites/:id/departments': 'signed_in',
  'PUT /app/api/websites/:id/departments': 'account',
  'GET /app/api/agents': 'team',
  'PATCH /app/api/agents/:id': 'team',
  'DELETE /app/api/agents/:id': 'team',
  'POST /app/api/invitations': 'team',
  'GET /app/api/invitations/:token': 'public',
  'POST /app/api/invitations/:token/accept': 'public',
  // Agents get the conversations they may see (`canSeeConversation`); the whole history needs allConversations.
  'GET /app/api/conversations': 'chat',
  'GET /app/api/conversations/:id': 'chat',
  // The search finds what the history lists for the agent: the same rows `canSeeConversation` allows.
  'GET /app/api/search': 'chat',
  'GET /app/api/offline-messages': 'chat',
  'POST /app/api/offline-messages/:id/handled': 'chat',
  'POST /app/api/offline-messages/:id/replies': 'chat',
  'POST /app/api/conversations/:id/flag-child': 'chat',
  // Whoever answers a chat may send files into it, as they send messages.
  'POST /app/api/conversations/:id/files': 'chat',
  // SEC-1: whoever answers a chat may block its visitor; owners and admins see the blocks and lift them early.
  'GET /app/api/block-periods': 'chat',
  'POST /app/api/conversations/:id/block': 'chat',
  // Whoever answers a chat may report it as spam; owners, admins and the reporter take a report back.
  'POST /app/api/conversations/:id/spam': 'chat',
  'DELETE /app/api/conversations/:id/spam': 'chat',
  'GET /app/api/blocks': 'account',
  'DELETE /app/api/blocks/:id': 'account',
  'GET /app/api/visitors': 'privacy',
  'GET /app/api/visitors/:id/export': 'privacy',
  'PATCH /app/api/visitors/:id': 'privacy',
  'POST /app/api/visitors/:id/erase': 'privacy',
  'GET /app/api/requests': 'privacy',
  'POST /app/api/requests': 'privacy',
  'GET /app/api/stats': 'statistics',
  'GET /app/api/marketing': 'ownership',
  'PUT /app/api/marketing': 'ownership',
  'POST /app/api/account/close': 'ownership',
  // COL-1: sign-up from the public site, as PARLEY_SIGNUP allows, and its confirmation link.
  'GET /app/api/signup/form': 'public',
  'POST /app/api/signup': 'public',
  'POST /app/api/signup/confirm': 'public',
  'POST /app/api/signup/resend': 'public',
  // COM-1: the account holders write to the operator's support.
  'GET /app/api/support': 'support',
  'POST /app/api/support': 'support',
  'GET /app/api/support/:id': 'support',
  'POST /app/api/support/:id': 'support',
  // The customer API: the account's API key, whoever holds it.
  'ALL /api/*': 'public',
  'ALL /api/v1/*': 'api_key',
  'GET /api/v1/conversations': 'api_key',
  'GET /api/v1/conversations/:id/transcript': 'api_key',
};

/** Every frame an agent's dashboard may send. Those naming a conversation also need `canSeeConversation`. */
export const AGENT_FRAME_ACCESS: Readonly<Record<AgentFrame['type'], Access>> = {
  ping: 'signed_in',
  status: 'chat',
  open: 'chat',
  send: 'chat',
  typing: 'chat',
  seen: 'chat',
  close: 'chat',
  note: 'chat',
  transfer: 'chat',
};

/**
 * Every frame a visitor's widget may send: anyone on a customer's site, each confined to their own chat by its chat
 * id, so no role enters into it.
 */
export const VISITOR_FRAME_ACCESS: Readonly<Record<VisitorFrame['type'], 'public'>> = {
  hello: 'public',
  send: 'public',
  typing: 'public',
  seen: 'public',
  profile: 'public',
  offline_message: 'public',
  transcript: 'public',
  rate: 'public',
  end: 'public',
  page: 'public',
  opt_out: 'public',
  upload_token: 'public',
  ping: 'public',
};

/** Whether a signed-in agent of this role may use something that needs `access` (public needs nothing). */
export const grants = (role: AgentRole, access: Access): boolean =>
  access === 'public' || access === 'signed_in' || (access !== 'api_key' && hasRight(role, access));

/** The row-level half of `chat`: without allConversations, an agent sees waiting chats and their own. */
export function canSeeConversation(
  agent: { id: string; role: AgentRole },
  conversation: {
    status: string;
    agentId?: string | null | undefined;
    spamReportedBy?: string | null | undefined;
  },
): boolean {
  return (
    hasRight(agent.role, 'allConversations') ||
    conversation.status === 'waiting' ||
    conversation.agentId === agent.id ||
    // The agent who reported it as spam finds it under the history's spam filter, to take the report back.
    (conversation.spamReportedBy !== undefined && conversation.spamReportedBy === agent.id)
  );
}
