import { currentContent } from './content.ts';
import type { PolicyContent, PolicyModel } from './schema.ts';

/**
 * Earlier versions are written as edits that undo what each later version added, so that the text in force is
 * written out once, in `content.ts`, and every older version stays reproducible for comparison (CHG-1).
 */
function without(content: PolicyContent, edit: (draft: PolicyContent) => void): PolicyContent {
  const draft = structuredClone(content);
  edit(draft);
  return draft;
}

const IM_HANDLE = 'user.contact.instant_messaging';
const SETTINGS = 'user.account.settings';

/**
 * 1.4.0 also let a website show its agents context about a visitor (pages opened during the chat, local time,
 * country, browser and system family, earlier conversations), each item off until the owner turns it on.
 */
function withoutVisitorContext(draft: PolicyContent): void {
  const chat = draft.activities.find((a) => a.id === 'provide_chat');
  if (chat) {
    chat.categories = chat.categories.filter((key) => key !== 'user.device.browser');
    chat.description =
      "Carry messages between a visitor and the account's agents and keep the conversation for the account.";
  }
  const describe = (key: string, description: string, name?: string) => {
    const category = draft.categories.find((c) => c.key === key);
    if (!category) return;
    category.description = description;
    if (name) category.name = name;
  };
  describe('user.device.browser', 'The browser family and version from the request.');
  describe('user.location.imprecise', 'A country derived from the request, never a precise location.');
  describe(
    'user.behavior.browsing_history',
    'The address of the page a visitor is chatting from.',
    'Current page',
  );
  const pages = draft.retention.find(
    (rule) => rule.category === 'user.behavior.browsing_history' && rule.subject === 'visitor',
  );
  if (pages) pages.why = 'Only the page the chat started on, to help the agent.';
  draft.signals.effect =
    'The widget does not recognise you across visits: the chat-id cookie lasts only until you close the browser, and nothing beyond what the chat in progress needs is kept. The page you chat from, your country and your language are not stored, nor anything that would recognise your browser again.';
}

/**
 * 1.4.0 added sign-up from the public site: an unconfirmed sign-up is kept until its confirmation link expires, and
 * COL-1 says a card is asked for only where the service takes payments; and agents' notification settings, with the
 * links that confirm a new email or reset a password; second factors; and support messages kept two years
 * after their thread closes instead of 30 days after the account closes; blocks on unwanted visitors; the tags agents
 * put on conversations, kept as the conversation is; internal notes agents keep on a conversation, chat content; and
 * files (images without their metadata, documents) sent in a chat, chat content as well.
 */
const v1_3 = without(currentContent, (draft) => {
  withoutVisitorContext(draft);
  draft.retention = draft.retention.filter(
    (rule) =>
      rule.store !== 'pending_signups' && rule.store !== 'visitor_blocks' && rule.category !== SETTINGS,
  );
  const keepSecure = draft.activities.find((a) => a.id === 'keep_secure');
  if (keepSecure)
    keepSecure.description = 'Access and audit logs, with IP addresses truncated before they are written.';
  draft.categories = draft.categories.filter((category) => category.key !== SETTINGS);
  for (const activity of draft.activities)
    activity.categories = activity.categories.filter((key) => key !== SETTINGS);
  const secrets = draft.categories.find((category) => category.key === 'system.authentication');
  if (secrets) secrets.description = 'Session, invitation and API-key secrets, kept only as hashes.';
  const content = draft.categories.find((category) => category.key === 'user.content.private');
  if (content) content.description = 'Messages, offline messages and ratings exchanged in a chat.';
  // 1.4.0 declared the record of erasures that a restored backup replays.
  const visitors = draft.promises.find((p) => p.id === 'RET-4');
  if (visitors)
    visitors.statement =
      "If you chatted with a business, ask that business: it can see, export, correct or erase your data with Parley's tools. Erasure is complete: nothing of you remains in any table, index or log.";
  const security = draft.promises.find((p) => p.id === 'SEC-1');
  if (security) {
    security.statement =
      'We take reasonable steps to protect data from loss, misuse, unauthorised access, disclosure, alteration or destruction: passwords are hashed, sessions encrypted, IPs truncated, pages locked to their own origin. No transmission over the internet is perfectly secure.';
    security.enforcedBy = [
      'packages/cookies/src/session-cookie.ts',
      'apps/server/src/security/security-headers.ts',
    ];
  }
  const correcting = draft.promises.find((p) => p.id === 'RET-2');
  if (correcting) {
    correcting.statement =
      'Account holders can update and correct their own data in the dashboard at any time.';
    correcting.enforcedBy = ['apps/server/src/dashboard/account-routes.ts'];
  }
  const support = draft.retention.find(
    (rule) => rule.category === 'user.content.private' && rule.subject === 'account_holder' && !rule.store,
  );
  if (support) {
    support.retention = { after: 'account_closed', keep: 'P30D' };
    support.why = 'Support requests are kept to answer them (COM-1).';
  }
  const promise = draft.promises.find((p) => p.id === 'COL-1');
  if (promise) {
    promise.statement =
      'When you open an account you give us your email address, your name, optional contact details (phone, organisation, an instant-messaging handle), a password and, to pay, a card. That is all we ask for.';
    promise.enforcedBy = ['packages/db/src/schema.ts'];
  }
  const mail = draft.activities.find((a) => a.id === 'send_service_email');
  if (mail)
    mail.description = 'Invitations, chat transcripts a visitor asks for, and notices of policy changes.';
});

/**
 * 1.3.0 added the keyed hashes that limit how much mail one address receives, kept for a day, and a limit on how
 * long anything about a visitor who sends a privacy signal is kept, with the data such a visitor is spared.
 */
const v1_2 = without(v1_3, (draft) => {
  draft.retention = draft.retention.filter((rule) => rule.store !== 'mail_limits');
  delete draft.signals.keepAtMost;
  draft.signals.effect =
    'The widget does not recognise you across visits: the chat-id cookie lasts only until you close the browser, and nothing beyond what the chat in progress needs is kept.';
});

/** 1.2.0 added the "remember my email" cookie and the optional instant-messaging handle. */
const v1_1 = without(v1_2, (draft) => {
  draft.cookies = draft.cookies.filter((cookie) => cookie.name !== 'parley_remember_email');
  draft.extensions = draft.extensions.filter((extension) => extension.key !== IM_HANDLE);
  draft.categories = draft.categories.filter((category) => category.key !== IM_HANDLE);
  draft.retention = draft.retention.filter((rule) => rule.category !== IM_HANDLE);
  for (const activity of draft.activities) {
    activity.categories = activity.categories.filter((key) => key !== IM_HANDLE);
  }
  const promise = draft.promises.find((p) => p.id === 'CK-2');
  if (promise)
    promise.statement = 'We do not yet offer to remember your email address; no such cookie is set.';
});

/** 1.1.0 added Canada and the Netherlands and shortened the access log from 30 to 14 days. */
const v1_0 = without(v1_1, (draft) => {
  draft.regions.available = ['SG', 'US', 'DE'];
  for (const rule of draft.retention) {
    if (rule.category === 'user.device.ip_address' || rule.category === 'user.device.browser')
      rule.retention.keep = 'P30D';
  }
  const promise = draft.promises.find((p) => p.id === 'LOG-1');
  if (promise) promise.statement = promise.statement.replace('14 days', '30 days');
});

export const parleyPolicy: PolicyModel = {
  versions: [
    { version: '1.0.0', date: '2026-03-02', summary: 'First published policy.', content: v1_0 },
    {
      version: '1.1.0',
      date: '2026-07-14',
      summary:
        'Canada and the Netherlands join the processing regions; the access log is kept for 14 days instead of 30.',
      content: v1_1,
    },
    {
      version: '1.2.0',
      date: '2026-11-29',
      summary:
        'An optional "remember my email" cookie for the sign-in form, and an optional instant-messaging handle for account contacts.',
      content: v1_2,
    },
    {
      version: '1.3.0',
      date: '2026-12-06',
      summary:
        'To stop the chat being used to send mail to strangers, a keyed hash of each address a transcript is mailed to is kept for one day. A visitor who sends Global Privacy Control or Do Not Track has nothing kept beyond the conversation, and that for 30 days at most.',
      content: v1_3,
    },
    {
      version: '1.4.0',
      date: '2026-12-07',
      summary:
        'Businesses can sign up from the public site: a sign-up whose email address is not confirmed is kept for two days, until its confirmation link expires, and then deleted. A payment card is asked for only where the service takes payments. Agents choose how they are told of new chats, and people can change their sign-in email and reset a forgotten password by a single-use link. Anyone may add a second factor to their sign-in; the operator’s staff must. Messages to support are kept two years after their thread closes. A website may show its agents context about a visitor (pages opened during the chat, local time, country, browser and system family, earlier conversations), each item off until its owner turns it on, and none of it for a visitor who sends Global Privacy Control or Do Not Track. An agent can block an unwanted visitor for up to 30 days, by a hash of their chat id and the network of their address. Visitors and agents can send images and documents in a chat: they are kept as long as the chat’s messages, and images without their metadata, such as where a photo was taken. A record of each erasure, keyed hashes from which nothing can be read back, is kept so that restoring an older backup erases the data again.',
      content: currentContent,
    },
  ],
};
