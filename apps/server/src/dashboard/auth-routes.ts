import { checkPassword, findPendingSignup } from '@parley/db';
import { type Agent, findAgentForSignIn, getAccount, getAgent, normalizeEmail } from '@parley/db/chat';
import { retryAfterSeconds, throttledMessage, throttledSignIn } from '@parley/live';
import { Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../access-log/access-log.ts';
import { guardRoute } from '../auth/access.ts';
import {
  authenticate,
  csrfTokenFor,
  endSession,
  rememberedEmail,
  startSession,
} from '../auth/agent-session.ts';
import {
  confirmFor,
  issueChallenge,
  nextStep,
  offerTo,
  readChallenge,
  requireCode,
} from '../auth/second-factor.ts';
import { AppError, readJson } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';
import { accountJson, signedInAgentJson } from './dashboard-json.ts';

export const SignIn = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
  rememberEmail: z.boolean().default(false),
});
export type SignIn = z.infer<typeof SignIn>;

const INVALID = 'The email address or the password is not right.';

const Challenge = z.string().min(1).max(300);
const Code = z.string().trim().min(6).max(32);

/** SEC-1: the second step of a sign-in, with a TOTP code or a recovery code. */
export const SecondFactorSignIn = z.object({
  challenge: Challenge,
  code: Code,
  rememberEmail: z.boolean().default(false),
});
export type SecondFactorSignIn = z.infer<typeof SecondFactorSignIn>;

/** SEC-1: someone who must have a second factor and has none enrols before their first session. */
export const EnrolAtSignIn = z.object({ challenge: Challenge });
export type EnrolAtSignIn = z.infer<typeof EnrolAtSignIn>;

export const ConfirmAtSignIn = z.object({
  challenge: Challenge,
  code: Code,
  rememberEmail: z.boolean().default(false),
});
export type ConfirmAtSignIn = z.infer<typeof ConfirmAtSignIn>;

export function authRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  routes.post('/sign-in', guarded, async (c) => {
    const body = await readJson(c, SignIn);
    const attempt = { email: normalizeEmail(body.email), address: clientAddress(c, s.config.trustProxy) };
    const result = await throttledSignIn(s.throttle, attempt, async () => {
      const agent = await findAgentForSignIn(s.db, body.email);
      const valid = await checkPassword(body.password, agent?.passwordHash);
      const account = agent && valid ? await getAccount(s.db, agent.accountId) : null;
      return agent && account ? { agent, account } : null;
    });
    if (result.outcome === 'throttled')
      throw new AppError('rate_limited', throttledMessage(result), {
        headers: {
          'Retry-After': retryAfterSeconds(result),
        },
      });
    if (result.outcome === 'wrong') {
      // COL-1: a sign-up waiting for its email to be confirmed is told so, once its password is right.
      const pending = await findPendingSignup(s.db, body.email, s.clock.now());
      if (pending && (await checkPassword(body.password, pending.passwordHash)))
        throw new AppError(
          'email_unconfirmed',
          'Confirm your email address first: open the link in the mail we sent to {email} when you signed up. No mail? Ask for a new one at /signup#resend.',
          { values: { email: pending.email } },
        );
      throw new AppError('invalid_credentials', INVALID);
    }
    const { agent } = result.value;
    // SEC-1: with a second factor, or one required of them, the password alone makes no session.
    const step = await nextStep(s, agent);
    if (step) return c.json({ secondFactor: step, challenge: issueChallenge(s, agent.id, step) });
    return c.json(await signIn(c, agent, body.rememberEmail));
  });

  /** Starts the session of someone who passed every step. */
  const signIn = async (c: Parameters<typeof authenticate>[1], agent: Agent, rememberEmail: boolean) => {
    const account = await getAccount(s.db, agent.accountId);
    if (!account) throw new AppError('unauthorized', INVALID);
    const { csrfToken } = await startSession(s, c, agent, { rememberEmail });
    return { agent: signedInAgentJson(agent), account: accountJson(account), csrfToken };
  };

  /** The agent a challenge names, still active. */
  const challenged = async (token: string, purpose: 'code' | 'enrol') => {
    const agent = await getAgent(s.db, readChallenge(s, token, purpose));
    if (!agent) throw new AppError('unauthorized', INVALID);
    return agent;
  };

  routes.post('/sign-in/second-factor', guarded, async (c) => {
    const body = await readJson(c, SecondFactorSignIn);
    const agent = await challenged(body.challenge, 'code');
    await requireCode(s, c, agent.id, body.code);
    return c.json(await signIn(c, agent, body.rememberEmail));
  });

  routes.post('/sign-in/enrol', guarded, async (c) => {
    const body = await readJson(c, EnrolAtSignIn);
    const agent = await challenged(body.challenge, 'enrol');
    return c.json(await offerTo(s, agent));
  });

  routes.post('/sign-in/enrol/confirm', guarded, async (c) => {
    const body = await readJson(c, ConfirmAtSignIn);
    const agent = await challenged(body.challenge, 'enrol');
    const recoveryCodes = await confirmFor(s, agent.id, body.code);
    return c.json({ ...(await signIn(c, agent, body.rememberEmail)), recoveryCodes });
  });

  routes.post('/sign-out', guarded, async (c) => {
    // Signing out works without the CSRF token, and with an expired session: it only ever removes access. The
    // same-origin check still applies, so another site cannot sign people out.
    const auth = await authenticate(s, c);
    await endSession(s, c, auth);
    return c.json({ signedOut: true });
  });

  routes.get('/me', guarded, (c) => {
    const { agent, account, session } = c.get('auth');
    return c.json({
      agent: signedInAgentJson(agent),
      account: accountJson(account),
      csrfToken: csrfTokenFor(s, session.id),
    });
  });

  routes.get('/remembered-email', guarded, (c) => c.json({ email: rememberedEmail(c) }));

  return routes;
}
