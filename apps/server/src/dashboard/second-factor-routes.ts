import { hasSecondFactor, recoveryCodesLeft, removeSecondFactor } from '@parley/db';
import { getAgent, writeAudit } from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { agentOwner, confirmFor, offerTo, requireCode, secondFactorRequired } from '../auth/second-factor.ts';
import { AppError, readJson } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';

// SEC-1: each person sets up, or turns off, their own second factor from their profile; an owner or admin resets a
// teammate's who has lost their phone and their recovery codes. Every change is in the audit log.

export const SecondFactorCode = z.object({ code: z.string().trim().min(6).max(32) });
export type SecondFactorCode = z.infer<typeof SecondFactorCode>;

export function secondFactorRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  routes.get('/second-factor', guarded, async (c) => {
    const { agent } = c.get('auth');
    const owner = agentOwner(agent.id);
    const enrolled = await hasSecondFactor(s.db, owner);
    return c.json({
      enrolled,
      required: secondFactorRequired(s, agent),
      recoveryCodesLeft: enrolled ? await recoveryCodesLeft(s.db, owner) : 0,
    });
  });

  /** A new secret to set up an app with; it counts once a first code confirms it. */
  routes.post('/second-factor/enrol', guarded, async (c) => {
    const { agent } = c.get('auth');
    return c.json(await offerTo(s, agent));
  });

  routes.post('/second-factor/confirm', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const { code } = await readJson(c, SecondFactorCode);
    const recoveryCodes = await confirmFor(s, agent.id, code);
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: agent.id,
      accountId: account.id,
      action: 'second_factor.enrolled',
    });
    return c.json({ recoveryCodes });
  });

  /** Turning it off takes a current code or a recovery code; an owner the installation requires it of cannot. */
  routes.post('/second-factor/disable', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const { code } = await readJson(c, SecondFactorCode);
    if (secondFactorRequired(s, agent))
      throw new AppError('forbidden', 'This installation requires owners to sign in with a second factor.');
    if (!(await hasSecondFactor(s.db, agentOwner(agent.id))))
      throw new AppError('conflict', 'You have no second factor to turn off.');
    await requireCode(s, c, agent.id, code);
    await removeSecondFactor(s.db, agentOwner(agent.id));
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: agent.id,
      accountId: account.id,
      action: 'second_factor.turned_off',
    });
    return c.json({ enrolled: false });
  });

  /**
   * Resets a teammate's second factor; they sign in with their password and may set it up again (an owner it is
   * required of must). Nobody resets their own this way, and only the owner resets an owner's: never an admin.
   */
  routes.delete('/agents/:id/second-factor', guarded, async (c) => {
    const auth = c.get('auth');
    const targetId = c.req.param('id');
    if (targetId === auth.agent.id)
      throw new AppError('conflict', 'Turn off your own second factor from your profile, with a code.');
    const target = await getAgent(s.db, targetId, auth.account.id);
    if (!target) throw new AppError('not_found', 'There is no such agent in this account.');
    if (target.role === 'owner')
      throw new AppError('forbidden', "An admin cannot reset the owner's second factor.");
    if (!(await removeSecondFactor(s.db, agentOwner(target.id))))
      throw new AppError('conflict', 'This agent has no second factor to reset.');
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action: 'second_factor.reset',
      detail: { agentId: target.id },
    });
    return c.json({ reset: target.id });
  });

  return routes;
}
