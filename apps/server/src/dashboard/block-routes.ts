import {
  BlockError,
  blockPeriodDays,
  blockVisitor,
  clearSpam,
  closeConversation,
  findConversationTarget,
  liftBlock,
  listBlocks,
  reportSpam,
  type VisitorBlock,
} from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { assertCanSee, guardRoute } from '../auth/access.ts';
import { hasRight } from '../auth/rights.ts';
import { publishConversation, publishStatusToVisitor } from '../chat/notify.ts';
import { iso } from '../chat/summaries.ts';
import { closeBlockedVisitor } from '../chat/unwanted-visitors.ts';
import { AppError, readJson } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';

const NO_CONVERSATION = 'There is no such conversation in this account.';

const BlockInput = z.strictObject({
  days: z.number().int(),
  reason: z.string().trim().max(500).nullable().optional(),
});

const blockJson = (block: VisitorBlock) => ({
  ...block,
  createdAt: iso(block.createdAt),
  expiresAt: iso(block.expiresAt),
});

/**
 * SEC-1: unwanted visitors. An agent blocks the visitor of a conversation they may see, for one of the periods the
 * policy allows; the chat closes and the visitor's widget with it, on every node. Owners and admins list the blocks
 * in force and lift one early. An agent also reports a conversation as spam (closing it, so it leaves every inbox,
 * the history's default list and the statistics), and owners, admins or the reporter take the report back. Every
 * block, lift and report is in the audit log.
 */
export function blockRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);

  routes.get('/block-periods', guarded, (c) => c.json({ days: blockPeriodDays(s.content) }));

  routes.post('/conversations/:id/block', guarded, async (c) => {
    const input = await readJson(c, BlockInput);
    const { agent, account } = c.get('auth');
    const target = await findConversationTarget(s.db, account.id, c.req.param('id'));
    if (!target) throw new AppError('not_found', NO_CONVERSATION);
    assertCanSee(c.get('auth'), target);
    const now = s.clock.now();
    let block: VisitorBlock;
    try {
      block = await blockVisitor(s.db, {
        accountId: account.id,
        visitorId: target.visitorId,
        agentId: agent.id,
        days: input.days,
        reason: input.reason ? input.reason : null,
        // The visitor's open sockets give the network they connect from; without one, the last logged.
        network: null,
        content: s.content,
        now,
      });
    } catch (error) {
      if (!(error instanceof BlockError)) throw error;
      // The visitor may have been erased since the conversation was read.
      if (error.code === 'not_found') throw new AppError('not_found', NO_CONVERSATION);
      throw new AppError('invalid_input', 'Choose one of the periods the privacy policy allows for a block.');
    }
    if (await closeConversation(s.db, { accountId: account.id, conversationId: target.id })) {
      const closedBy = { by: 'agent', name: agent.publicName } as const;
      const conversation = await publishConversation(s, account.id, target.id, closedBy);
      if (conversation) await publishStatusToVisitor(s, conversation, closedBy);
    }
    // A visitor with no socket topic (their chat id forgotten on opting out) has no socket open to close.
    if (target.chatIdHash)
      await closeBlockedVisitor(s, { accountId: account.id, topic: target.chatIdHash, blockId: block.id });
    return c.json({ block: blockJson(block) }, 201);
  });

  /** The conversation a spam request names, and the store's input for the signed-in agent acting on it. */
  const spamRequest = async (auth: AgentAuth, conversationId: string) => {
    const target = await findConversationTarget(s.db, auth.account.id, conversationId);
    if (!target) throw new AppError('not_found', NO_CONVERSATION);
    const input = { accountId: auth.account.id, conversationId, agentId: auth.agent.id, now: s.clock.now() };
    return { target, input };
  };

  routes.post('/conversations/:id/spam', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const { target, input } = await spamRequest(c.get('auth'), c.req.param('id'));
    assertCanSee(c.get('auth'), target);
    // A report made since the look-up (another agent at the same moment) comes back as null.
    const reported = target.spamAt === null ? await reportSpam(s.db, input) : null;
    if (!reported) throw new AppError('conflict', 'This conversation is already reported as spam.');
    // Every agent's inbox, on every node, drops it on this frame; a visitor still chatting sees the chat end.
    const closedBy = reported.closed ? ({ by: 'agent', name: agent.publicName } as const) : undefined;
    const conversation = await publishConversation(s, account.id, target.id, closedBy);
    if (conversation && closedBy) await publishStatusToVisitor(s, conversation, closedBy);
    return c.json({ spam: true, closed: reported.closed });
  });

  /** Takes a spam report back: owners and admins, and the agent who made it. */
  routes.delete('/conversations/:id/spam', guarded, async (c) => {
    const { agent } = c.get('auth');
    const { target, input } = await spamRequest(c.get('auth'), c.req.param('id'));
    if (
      target.spamAt !== null &&
      !hasRight(agent.role, 'allConversations') &&
      target.spamReportedBy !== agent.id
    )
      throw new AppError(
        'forbidden',
        'Only owners, admins and the agent who reported it can take a spam report back.',
      );
    if (target.spamAt === null || !(await clearSpam(s.db, input)))
      throw new AppError('not_found', 'This conversation is not reported as spam.');
    return c.body(null, 204);
  });

  routes.get('/blocks', guarded, async (c) => {
    const blocks = await listBlocks(s.db, c.get('auth').account.id, s.clock.now());
    return c.json({ blocks: blocks.map(blockJson), days: blockPeriodDays(s.content) });
  });

  routes.delete('/blocks/:id', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const lifted = await liftBlock(s.db, {
      accountId: account.id,
      blockId: c.req.param('id'),
      agentId: agent.id,
      now: s.clock.now(),
    });
    if (!lifted) throw new AppError('not_found', 'There is no such block in this account.');
    return c.body(null, 204);
  });

  return routes;
}
