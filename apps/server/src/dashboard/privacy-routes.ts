import { LANGUAGES, marketingChoiceText } from '@parley/dashboard/consent-texts';
import {
  closeAccount,
  conversationStatistics,
  correctVisitor,
  eraseVisitor,
  exportVisitor,
  findVisitors,
  getMarketingPreference,
  listRequests,
  recordConsent,
  recordRequest,
  type Statistic,
  setMarketingPreference,
  tagStatistics,
} from '@parley/db';
import {
  findConversationTarget,
  findOpenConversationId,
  getVisitor,
  visitorChatIdHash,
} from '@parley/db/chat';
import { CLOSE_CODES } from '@parley/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { assertCanSee, guardRoute } from '../auth/access.ts';
import { disconnectAccount } from '../auth/account-closure.ts';
import { endSession } from '../auth/agent-session.ts';
import { iso } from '../chat/summaries.ts';
import { topics } from '../delivery/bus.ts';
import { AppError, readJson } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';

// The account's privacy operations in the dashboard: visitors' requests (RET-4), a child's chat (KID-1), the
// account's own marketing choice (COM-2), closing the account (RET-2, RET-3) and its statistics (LOG-2, LOG-3).

const STATISTICS_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** LOG-3: a figure as the dashboard gets it; a suppressed one carries why, never its value or group size. */
const figureJson = (f: Statistic) =>
  f.suppressed
    ? { name: f.name, value: null, suppressed: true, reason: f.reason }
    : { name: f.name, value: f.value, suppressed: false };

const cleared = <T extends z.ZodType>(schema: T) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
      schema.nullable(),
    )
    .optional();

export const VisitorCorrection = z
  .strictObject({
    name: cleared(z.string().trim().max(80)),
    email: cleared(
      z
        .string()
        .trim()
        .max(254)
        .pipe(z.email({ message: 'the email address is not valid' })),
    ),
  })
  .refine((v) => v.name !== undefined || v.email !== undefined, {
    message: 'send a name or an email to correct',
  });

export const NewRequest = z.object({
  kind: z.enum(['access', 'export', 'rectification', 'erasure']),
  visitorId: z.string().trim().min(1).max(64),
});

/** COM-2: the choice, and the dashboard language its words were shown in; a dashboard that says none showed English. */
export const MarketingChoice = z.object({ optedIn: z.boolean(), language: z.enum(LANGUAGES).default('en') });
export const CloseAccount = z.object({ confirm: z.string() });

const NO_VISITOR = 'There is no such visitor in this account.';

export function privacyRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  /**
   * RET-4, KID-1: erases a visitor, with nothing of them written after. Their sockets close first (on other
   * processes through the bus; here, waiting until each has finished the frames it had received), so that no frame
   * stores anything about them once erased; the access log drops the lines of those sockets, which are written as
   * they close.
   */
  const eraseWithSockets = async (
    accountId: string,
    visitor: { id: string; chatIdHash: string | null },
    erasure: Omit<Parameters<typeof eraseVisitor>[1], 'accountId' | 'visitorId'>,
  ) => {
    s.accessLog.forgetVisitor(visitor.id);
    if (visitor.chatIdHash) {
      const topic = topics.chat(accountId, visitor.chatIdHash);
      await s.bus.publish(topic, { kind: 'disconnect', code: CLOSE_CODES.policy, reason: 'chat ended' });
      await s.sockets.closeOwned(topic, CLOSE_CODES.policy, 'chat ended');
    }
    return eraseVisitor(s.db, { accountId, visitorId: visitor.id, ...erasure });
  };

  /** Agents' dashboards drop a conversation whose visitor is about to be erased. */
  const dropConversation = (accountId: string, conversationId: string) =>
    s.bus.publish(topics.agents(accountId), {
      kind: 'frame',
      frame: {
        type: 'conversation',
        conversation: { id: conversationId, status: 'closed', visitor: {}, startedAt: iso(Date.now()) },
      },
    });

  const ownedVisitor = async (accountId: string, visitorId: string) => {
    const visitor = await getVisitor(s.db, accountId, visitorId);
    if (!visitor) throw new AppError('not_found', NO_VISITOR);
    return visitor;
  };

  routes.get('/visitors', guarded, async (c) => {
    const query = (c.req.query('query') ?? '').slice(0, 254);
    const visitors = await findVisitors(s.db, c.get('auth').account.id, query);
    return c.json({ visitors: visitors.map((v) => ({ ...v, lastSeenAt: iso(v.lastSeenAt) })) });
  });

  /** RET-4: everything held about one visitor, for an access or export request. */
  routes.get('/visitors/:id/export', guarded, async (c) => {
    const { account } = c.get('auth');
    const visitor = await ownedVisitor(account.id, c.req.param('id'));
    const document = await exportVisitor(s.db, { accountId: account.id, visitorId: visitor.id });
    c.header('Content-Disposition', `attachment; filename="parley-visitor-${visitor.id}.json"`);
    return c.json(document);
  });

  /** RET-4: corrects a visitor's name or email on their request. */
  routes.patch('/visitors/:id', guarded, async (c) => {
    const { account } = c.get('auth');
    const correction = await readJson(c, VisitorCorrection);
    const corrected = await correctVisitor(s.db, {
      accountId: account.id,
      visitorId: c.req.param('id'),
      ...(correction.name === undefined ? {} : { name: correction.name }),
      ...(correction.email === undefined ? {} : { email: correction.email }),
    });
    if (!corrected) throw new AppError('not_found', NO_VISITOR);
    return c.json({ corrected: true });
  });

  /** RET-4: erases a visitor completely, completing their open erasure request if there is one. */
  routes.post('/visitors/:id/erase', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const visitor = await ownedVisitor(account.id, c.req.param('id'));
    const request = (await listRequests(s.db, account.id)).find(
      (r) => r.visitorId === visitor.id && r.kind === 'erasure' && r.completedAt === null,
    );
    const chatIdHash = await visitorChatIdHash(s.db, account.id, visitor.id);
    const open = await findOpenConversationId(s.db, account.id, visitor.id);
    if (open) await dropConversation(account.id, open);
    const { counts } = await eraseWithSockets(
      account.id,
      { id: visitor.id, chatIdHash },
      {
        reason: 'request',
        actor: { kind: 'agent', id: agent.id },
        ...(request ? { requestId: request.id } : {}),
      },
    );
    return c.json({ erased: counts });
  });

  /** KID-1: a chat flagged as a child's is erased at once, with everything else about its visitor. */
  routes.post('/conversations/:id/flag-child', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const target = await findConversationTarget(s.db, account.id, c.req.param('id'));
    if (!target) throw new AppError('not_found', 'There is no such conversation in this account.');
    assertCanSee(c.get('auth'), target);
    // Other agents' dashboards drop the conversation; the visitor's widget is closed.
    await dropConversation(account.id, target.id);
    const { counts } = await eraseWithSockets(
      account.id,
      { id: target.visitorId, chatIdHash: target.chatIdHash },
      { reason: 'child', actor: { kind: 'agent', id: agent.id } },
    );
    return c.json({ erased: counts });
  });

  routes.get('/requests', guarded, async (c) => {
    const requests = await listRequests(s.db, c.get('auth').account.id);
    return c.json({
      requests: requests.map((r) => ({
        id: r.id,
        kind: r.kind,
        visitorId: r.visitorId,
        receivedAt: iso(r.receivedAt),
        deadlineAt: iso(r.deadlineAt),
        completedAt: r.completedAt === null ? null : iso(r.completedAt),
        overdue: r.overdue,
      })),
    });
  });

  /** RET-4: records a visitor's request as received, which starts its deadline. */
  routes.post('/requests', guarded, async (c) => {
    const { account } = c.get('auth');
    const input = await readJson(c, NewRequest);
    const visitor = await ownedVisitor(account.id, input.visitorId);
    const request = await recordRequest(s.db, {
      accountId: account.id,
      visitorId: visitor.id,
      kind: input.kind,
    });
    return c.json(
      {
        id: request.id,
        kind: request.kind,
        visitorId: request.visitorId,
        receivedAt: iso(request.receivedAt),
        deadlineAt: iso(request.deadlineAt),
        completedAt: null,
        overdue: false,
      },
      201,
    );
  });

  /** LOG-2, LOG-3: the account's figures over the last 30 days; small groups are suppressed. */
  routes.get('/stats', guarded, async (c) => {
    const now = Date.now();
    const range = { from: now - STATISTICS_WINDOW_MS, to: now };
    const statistics = await conversationStatistics(s.db, s.content, c.get('auth').account.id, range);
    const byTag = await tagStatistics(s.db, s.content, c.get('auth').account.id, range);
    return c.json({
      figures: statistics.map(figureJson),
      // LOG-3: conversations per tag, each count withheld where its visitors are fewer than the minimum group.
      tags: byTag.map(({ tag, statistic }) => ({ tag, ...figureJson(statistic) })),
    });
  });

  /** COM-2: the account holder's own choice about Parley's product news. */
  routes.get('/marketing', guarded, async (c) => {
    const { optedIn } = await getMarketingPreference(s.db, c.get('auth').account.id);
    return c.json({ optedIn });
  });

  routes.put('/marketing', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const { optedIn, language } = await readJson(c, MarketingChoice);
    await setMarketingPreference(s.db, { accountId: account.id, optedIn, source: 'dashboard' });
    const choice = optedIn ? 'consent' : 'withdraw';
    await recordConsent(s.db, {
      accountId: account.id,
      agentId: agent.id,
      scope: 'marketing',
      choice,
      policyVersion: s.policyVersion.version,
      // The switch's own words, in the language shown: ticking it consents to them, clearing it withdraws.
      text: marketingChoiceText(language),
      language,
    });
    return c.json({ optedIn });
  });

  /**
   * RET-2, RET-3: closes the account. Typing the organisation's name confirms it. Everyone is signed out, every
   * socket of the account closes, and the retention clock of its data starts.
   */
  routes.post('/account/close', guarded, async (c) => {
    const auth = c.get('auth');
    const { confirm } = await readJson(c, CloseAccount);
    if (confirm.trim() !== auth.account.organization)
      throw new AppError(
        'invalid_input',
        'Type the organisation name exactly as shown to close the account.',
      );
    await closeAccount(s.db, { accountId: auth.account.id, actorId: auth.agent.id });
    await endSession(s, c, auth, 'account_closed');
    await disconnectAccount(s, auth.account.id);
    return c.json({ closed: true });
  });

  return routes;
}
