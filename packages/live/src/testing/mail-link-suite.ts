import { describe, expect, it } from 'vitest';
import { MAIL_LINK_LIMITS, type MailLinkThrottle } from '../mail-link-throttle.ts';

/** Makes a throttle whose clock is the function given; the cases move it. */
export type MailLinkThrottleFactory = (now: () => number) => Promise<MailLinkThrottle> | MailLinkThrottle;

/** The cases every mail-link throttle must pass, so that one shared by several nodes limits as the in-process one. */
export function mailLinkThrottleSuite(name: string, make: MailLinkThrottleFactory): void {
  const setup = async () => {
    const clock = { now: 1_000_000 };
    return { throttle: await make(() => clock.now), clock };
  };
  const { emailBurst, emailRefillMs, addressBurst, addressRefillMs } = MAIL_LINK_LIMITS;

  describe(`RET-2: the mail-link throttle (${name})`, () => {
    it('RET-2: one email gets its burst of links, then one per refill interval, from any network', async () => {
      const { throttle, clock } = await setup();
      const ask = (n: number) => throttle.take({ email: 'adam@acme.test', address: `192.0.2.${n}` });
      for (let i = 0; i < emailBurst; i++) expect(await ask(i)).toEqual({ allowed: true });
      expect(await ask(50)).toEqual({ allowed: false, limitedBy: 'email', retryAfterMs: emailRefillMs });
      expect(await throttle.take({ email: 'olivia@acme.test', address: '192.0.2.50' })).toEqual({
        allowed: true,
      });
      clock.now += emailRefillMs / 2;
      expect(await ask(51)).toEqual({ allowed: false, limitedBy: 'email', retryAfterMs: emailRefillMs / 2 });
      clock.now += emailRefillMs / 2;
      expect(await ask(52)).toEqual({ allowed: true });
      expect((await ask(53)).allowed).toBe(false);
    });

    it('RET-2: one network gets its burst over many emails, counted as requests arrive', async () => {
      const { throttle, clock } = await setup();
      const verdicts = await Promise.all(
        Array.from({ length: addressBurst + 3 }, (_, i) =>
          throttle.take({ email: `person${i}@acme.test`, address: '203.0.113.7' }),
        ),
      );
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(addressBurst);
      expect(verdicts.slice(addressBurst)).toEqual(
        Array(3).fill({ allowed: false, limitedBy: 'address', retryAfterMs: addressRefillMs }),
      );
      // A refused request costs the email nothing.
      expect(await throttle.take({ email: `person${addressBurst}@acme.test` })).toEqual({ allowed: true });
      clock.now += addressRefillMs;
      expect(await throttle.take({ email: 'late@acme.test', address: '203.0.113.7' })).toEqual({
        allowed: true,
      });
    });

    it('RET-2: an IPv6 network is limited by its /64, however the address is written', async () => {
      const { throttle } = await setup();
      for (let i = 0; i < addressBurst; i++)
        await throttle.take({ email: `p${i}@acme.test`, address: `2001:db8:1:2::${(i + 1).toString(16)}` });
      expect(await throttle.take({ email: 'q@acme.test', address: '[2001:db8:1:2:ffff::1]' })).toMatchObject({
        allowed: false,
        limitedBy: 'address',
      });
      expect((await throttle.take({ email: 'q@acme.test', address: '2001:db8:1:3::1' })).allowed).toBe(true);
    });
  });
}
