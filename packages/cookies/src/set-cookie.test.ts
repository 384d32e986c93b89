import type { CookieDeclaration } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { CookieContradictionError, InvalidCookieValueError, UndeclaredCookieError } from './cookie-errors.ts';
import { type CookieName, cookieDeclarations } from './declarations.ts';
import { generateKey, sealSession } from './session-cookie.ts';
import { type SetCookieOptions, serializeClearCookie, serializeSetCookie } from './set-cookie.ts';

const declarations = cookieDeclarations();
const DAY = 24 * 60 * 60;

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('serializeSetCookie', () => {
  it('CK-1: the session cookie carries exactly the declared attributes and no Max-Age or Expires', () => {
    expect(serializeSetCookie(declarations, 'parley_session', 'abc')).toBe(
      'parley_session=abc; Path=/; Secure; SameSite=Lax; HttpOnly',
    );
    expect(serializeSetCookie(declarations, 'parley_admin_session', 'abc')).toBe(
      'parley_admin_session=abc; Path=/; Secure; SameSite=Strict; HttpOnly',
    );
  });

  it('CK-2: remember-my-email lives its declared 30 days, to the second', () => {
    expect(serializeSetCookie(declarations, 'parley_remember_email', 'ann@example.com')).toBe(
      `parley_remember_email=ann@example.com; Max-Age=${30 * DAY}; Path=/; Secure; SameSite=Lax; HttpOnly`,
    );
  });

  it('CK-1: a sealed session token is a valid cookie value', () => {
    const keyring = { current: { id: 'k1', key: generateKey() }, previous: [] };
    const token = sealSession({ userId: 'u1', signedInAt: 1, sessionId: 's1' }, keyring);
    expect(serializeSetCookie(declarations, 'parley_session', token)).toContain(`parley_session=${token};`);
  });

  it('never sets Domain or Expires', () => {
    for (const name of ['parley_session', 'parley_remember_email'] as const)
      expect(serializeSetCookie(declarations, name, 'x')).not.toMatch(/Domain|Expires/i);
  });

  const yearly: CookieDeclaration[] = [
    { ...declarations.find((d) => d.name === 'parley_remember_email')!, lifetime: 'P1Y' },
  ];
  const monthly: CookieDeclaration[] = [
    { ...declarations.find((d) => d.name === 'parley_remember_email')!, lifetime: 'P1M' },
  ];
  it.each([
    ['a year from March 2027 spans 29 February 2028', yearly, '2027-03-01T10:00:00Z', 366 * DAY],
    ['a year from March 2026 is 365 days', yearly, '2026-03-01T10:00:00Z', 365 * DAY],
    ['a month from 1 February 2026 is 28 days', monthly, '2026-02-01T00:00:00Z', 28 * DAY],
    ['a month from 1 January 2026 is 31 days', monthly, '2026-01-01T00:00:00Z', 31 * DAY],
  ])('calendar lifetimes: %s', (_title, decls, now, seconds) => {
    expect(serializeSetCookie(decls, 'parley_remember_email', 'x', { now: new Date(now) })).toContain(
      `; Max-Age=${seconds};`,
    );
  });

  it.each([
    ['PT1H', '; Max-Age=3600;'],
    ['P30D', `; Max-Age=${30 * DAY};`],
  ])('a shorter lifetime than declared is allowed: %s', (lifetime, expected) => {
    expect(serializeSetCookie(declarations, 'parley_remember_email', 'x', { lifetime })).toContain(expected);
  });

  it('a session lifetime drops Max-Age even where a duration is declared', () => {
    expect(
      serializeSetCookie(declarations, 'parley_remember_email', 'x', { lifetime: 'session' }),
    ).not.toMatch(/Max-Age/);
  });

  it('options that agree with the declaration are accepted', () => {
    const agreeing = { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' } as const;
    expect(serializeSetCookie(declarations, 'parley_session', 'x', agreeing)).toBe(
      serializeSetCookie(declarations, 'parley_session', 'x'),
    );
  });
});

describe('serializeSetCookie refuses what the policy does not allow', () => {
  it('CK-7: an undeclared cookie name throws', () => {
    const error = thrown(() => serializeSetCookie(declarations, 'parley_tracker' as CookieName, 'x'));
    expect(error).toBeInstanceOf(UndeclaredCookieError);
    expect(error).toMatchObject({ code: 'cookie_undeclared', cookie: 'parley_tracker' });
  });

  it.each(['parley_chat_id', 'parley_opt_out'] as const)(
    'CK-7: the server cannot set %s, which the widget sets on the customer’s site',
    (name) => {
      expect(thrown(() => serializeSetCookie(declarations, name, 'x'))).toMatchObject({
        code: 'cookie_wrong_setter',
      });
      expect(thrown(() => serializeClearCookie(declarations, name))).toMatchObject({
        code: 'cookie_wrong_setter',
      });
    },
  );

  it.each<[string, SetCookieOptions]>([
    ['httpOnly', { httpOnly: false }],
    ['secure', { secure: false }],
    ['sameSite', { sameSite: 'None' }],
    ['sameSite', { sameSite: 'Strict' }],
    ['path', { path: '/dashboard' }],
  ])('an option contradicting the declared %s throws', (_attribute, options) => {
    const error = thrown(() => serializeSetCookie(declarations, 'parley_session', 'x', options));
    expect(error).toBeInstanceOf(CookieContradictionError);
    expect(error).toMatchObject({ code: 'cookie_attribute_mismatch' });
  });

  it.each<[CookieName, SetCookieOptions]>([
    ['parley_remember_email', { lifetime: 'P31D' }],
    ['parley_remember_email', { lifetime: 'P1M', now: new Date('2026-01-15T00:00:00Z') }],
    ['parley_remember_email', { lifetime: 'P1Y' }],
    ['parley_session', { lifetime: 'PT1H' }],
  ])('a lifetime longer than declared throws: %s %o', (name, options) => {
    const error = thrown(() => serializeSetCookie(declarations, name, 'x', options));
    expect(error).toBeInstanceOf(CookieContradictionError);
    expect(error).toMatchObject({ code: 'cookie_lifetime_too_long' });
  });

  it.each(['', 'a b', 'a;b', 'a,b', '"quoted"', 'back\\slash', 'é', 'line\nbreak', 'tab\t'])(
    'a value with characters a cookie cannot hold throws, without echoing the value: %j',
    (value) => {
      const error = thrown(() => serializeSetCookie(declarations, 'parley_remember_email', value));
      expect(error).toBeInstanceOf(InvalidCookieValueError);
      expect(error).toMatchObject({ code: 'cookie_value_invalid' });
      if (value !== '') expect((error as Error).message).not.toContain(value);
    },
  );
});

describe('serializeClearCookie', () => {
  it('CK-1: signing out clears the session cookie on the same path with the same flags', () => {
    expect(serializeClearCookie(declarations, 'parley_session')).toBe(
      'parley_session=; Max-Age=0; Path=/; Secure; SameSite=Lax; HttpOnly',
    );
  });

  it('CK-7: clearing an undeclared cookie name throws', () => {
    expect(thrown(() => serializeClearCookie(declarations, 'other' as CookieName))).toBeInstanceOf(
      UndeclaredCookieError,
    );
  });
});
