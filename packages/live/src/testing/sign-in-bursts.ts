import { SIGN_IN_LIMITS } from '../sign-in-throttle.ts';

/** One app's sign-in form, as the burst scenarios drive it. */
export interface SignInProbe {
  signIn(email: string, password: string, address: string): Promise<SignInReply>;
  /** Passwords hashed so far (a spy around `checkPassword`). */
  hashes(): number;
  /** Moves the throttle's clock. */
  advance(ms: number): void;
  /** An account of the form, with its right password. */
  known: { email: string; password: string };
}

export interface SignInReply {
  status: number;
  retryAfter: string | null;
  message: string | null;
}

const BURST = 12;
const sorted = (replies: SignInReply[]) => replies.map((r) => r.status).sort();

/**
 * SEC-1: twelve wrong passwords at once from one address, each for another email. Reports the statuses (sorted),
 * the hashes they cost, one refusal, and what the right password from another address then gets.
 */
export async function burstFromOneAddress(probe: SignInProbe) {
  const before = probe.hashes();
  const emails = Array.from({ length: BURST }, (_, i) =>
    i === 0 ? probe.known.email : `guess${i}@burst.test`,
  );
  const replies = await Promise.all(
    emails.map((email) => probe.signIn(email, 'wrong password', '203.0.113.7')),
  );
  const hashes = probe.hashes() - before;
  const otherAddress = await probe.signIn(probe.known.email, probe.known.password, '198.51.100.1');
  return {
    statuses: sorted(replies),
    hashes,
    refused: replies.find((r) => r.status === 429) ?? null,
    otherAddress: otherAddress.status,
  };
}

/**
 * SEC-1: twelve wrong passwords at once for one email, each from another address; then a guesser who waits out
 * each delay three times; then the owner from elsewhere, who waits once and signs in; then a typo. Reports the
 * statuses of the burst (sorted) and the hashes they cost, the guesser's waits in seconds, and the owner's statuses.
 */
export async function burstAtOneEmail(probe: SignInProbe) {
  const { email, password } = probe.known;
  const before = probe.hashes();
  const replies = await Promise.all(
    Array.from({ length: BURST }, (_, i) => probe.signIn(email, `guess ${i}`, `192.0.2.${i + 1}`)),
  );
  const hashes = probe.hashes() - before;

  const waits: number[] = [];
  const guesses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const held = await probe.signIn(email, 'still guessing', '192.0.2.100');
    waits.push(Number(held.retryAfter));
    probe.advance(Number(held.retryAfter) * 1000);
    guesses.push((await probe.signIn(email, 'still guessing', '192.0.2.100')).status);
  }

  const owner = await probe.signIn(email, password, '198.51.100.1');
  probe.advance(Number(owner.retryAfter) * 1000);
  const ownerAfterWait = await probe.signIn(email, password, '198.51.100.1');
  const typoAfterSuccess = await probe.signIn(email, 'a typo', '198.51.100.1');
  return {
    statuses: sorted(replies),
    hashes,
    refused: replies.find((r) => r.status === 429) ?? null,
    waits,
    guesses,
    owner: [owner.status, ownerAfterWait.status, typoAfterSuccess.status],
  };
}

/** What both scenarios must show on every sign-in form, given the form's two refusal sentences. */
export function expectedBursts() {
  const { addressBurst, addressRefillMs, emailFreeFailures } = SIGN_IN_LIMITS;
  const statuses = (allowed: number) => [...Array(allowed).fill(401), ...Array(BURST - allowed).fill(429)];
  return {
    fromOneAddress: {
      statuses: statuses(addressBurst),
      hashes: addressBurst,
      refused: {
        status: 429,
        retryAfter: String(addressRefillMs / 1000),
        message: 'Too many sign-in attempts from your network. Try again in 30 seconds.',
      },
      otherAddress: 200,
    },
    atOneEmail: {
      statuses: statuses(emailFreeFailures),
      hashes: emailFreeFailures,
      refused: {
        status: 429,
        retryAfter: '1',
        message: 'Too many wrong passwords for this email address. Try again in 1 second.',
      },
      waits: [1, 2, 4],
      guesses: [401, 401, 401],
      // Held back once, in after the wait, and the success cleared the count: a typo is a plain 401.
      owner: [429, 200, 401],
    },
  };
}
