import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  checkSecondFactor,
  confirmWithCode,
  type EnrolmentOffer,
  type FactorOwner,
  hasSecondFactor,
  offerEnrolment,
  ownerLabel,
} from '@parley/db';
import type { Agent } from '@parley/db/chat';
import { retryAfterSeconds, throttledMessage, throttledSignIn } from '@parley/live';
import type { Context } from 'hono';
import { clientAddress } from '../access-log/access-log.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';

/**
 * SEC-1: the second step of a dashboard sign-in. A right password alone makes no session: it gives a challenge, a
 * token signed with the installation's key that names the person and lasts five minutes, which the page sends back
 * with a code (or, for someone who must enrol first, with the enrolment). Signed rather than stored, so that any
 * node can take the second step.
 */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;

export type ChallengePurpose = 'code' | 'enrol';

const sign = (s: Services, payload: string): string =>
  createHmac('sha256', s.secrets.csrfKey).update(`second-factor:${payload}`).digest('base64url');

/** A challenge for `agentId`, for taking a code or enrolling. */
export function issueChallenge(s: Services, agentId: string, purpose: ChallengePurpose): string {
  const payload = `${purpose}.${agentId}.${s.clock.now()}`;
  return `${payload}.${sign(s, payload)}`;
}

/** The agent id a live challenge of this purpose names; any other token is refused alike. */
export function readChallenge(s: Services, token: string, purpose: ChallengePurpose): string {
  const parts = token.split('.');
  const [kind, agentId, issued, mac] = parts;
  const expired = Number(issued) + CHALLENGE_LIFETIME_MS <= s.clock.now();
  const expected = Buffer.from(sign(s, `${kind}.${agentId}.${issued}`));
  const given = Buffer.from(mac ?? '');
  const valid = parts.length === 4 && expected.length === given.length && timingSafeEqual(expected, given);
  if (!valid || kind !== purpose || !agentId || expired)
    throw new AppError('unauthorized', 'This sign-in has expired. Sign in again with your password.');
  return agentId;
}

export const agentOwner = (agentId: string): FactorOwner => ({ kind: 'agent', id: agentId });

/** Whether this person must have a second factor to sign in: owners, when the installation says so. */
export const secondFactorRequired = (s: Services, agent: Pick<Agent, 'role'>): boolean =>
  agent.role === 'owner' && s.config.ownerSecondFactor === 'required';

/** What the password step asks next: a code, an enrolment, or nothing. */
export async function nextStep(s: Services, agent: Agent): Promise<ChallengePurpose | null> {
  if (await hasSecondFactor(s.db, agentOwner(agent.id))) return 'code';
  return secondFactorRequired(s, agent) ? 'enrol' : null;
}

/**
 * Checks and spends a TOTP or recovery code of the agent, counted by the sign-in throttle under a key of the
 * person's own (the email limit's delays apply to codes as to passwords, on every node). Throws when refused.
 */
export async function requireCode(s: Services, c: Context, agentId: string, code: string): Promise<void> {
  const owner = agentOwner(agentId);
  const attempt = {
    email: `second-factor:${ownerLabel(owner)}`,
    address: clientAddress(c, s.config.trustProxy),
  };
  const result = await throttledSignIn(s.throttle, attempt, () =>
    checkSecondFactor(s.db, { owner, keys: s.secrets.secondFactorKeys, code, now: s.clock.now() }),
  );
  if (result.outcome === 'throttled')
    throw new AppError('rate_limited', throttledMessage(result).replace('wrong passwords', 'wrong codes'), {
      headers: {
        'Retry-After': retryAfterSeconds(result),
      },
    });
  if (result.outcome === 'wrong')
    throw new AppError('invalid_credentials', 'That code is not right, or it has been used already.');
}

/** The issuer an authenticator app lists the dashboard's codes under. */
export const DASHBOARD_ISSUER = 'Parley';

/** A new secret for the agent to set up their app with; refused when they already have a second factor. */
export async function offerTo(s: Services, agent: Pick<Agent, 'id' | 'email'>): Promise<EnrolmentOffer> {
  const offer = await offerEnrolment(s.db, {
    owner: agentOwner(agent.id),
    keys: s.secrets.secondFactorKeys,
    issuer: DASHBOARD_ISSUER,
    label: agent.email,
    now: s.clock.now(),
  });
  if (!offer) throw new AppError('conflict', 'A second factor is already set up. Turn it off first.');
  return offer;
}

/** Confirms the agent's enrolment with a first code; returns the recovery codes, shown this once. */
export async function confirmFor(s: Services, agentId: string, code: string): Promise<string[]> {
  const confirmed = await confirmWithCode(s.db, {
    owner: agentOwner(agentId),
    keys: s.secrets.secondFactorKeys,
    code,
    now: s.clock.now(),
  });
  if (confirmed.outcome === 'wrong_code')
    throw new AppError('invalid_input', 'That code is not right. Type the code your app shows now.');
  if (confirmed.outcome === 'not_enrolling')
    throw new AppError('conflict', 'Start setting up the second factor again.');
  return confirmed.recoveryCodes;
}
