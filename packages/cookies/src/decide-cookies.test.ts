import type { CookieDeclaration } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import {
  type CookieContext,
  type CookieDecision,
  cookieSurface,
  decideCookies,
  describeRefusal,
  type RemovalReason,
  refusalEffects,
  type WidgetContext,
} from './decide-cookies.ts';
import { cookieDeclarations } from './declarations.ts';

const declarations = cookieDeclarations();

const declared = (name: string): CookieDeclaration => declarations.find((cookie) => cookie.name === name)!;

const allowedOf = (decision: CookieDecision) =>
  Object.fromEntries(decision.allowed.map((cookie) => [cookie.name, cookie.lifetime]));
const removedOf = (decision: CookieDecision) =>
  Object.fromEntries(decision.remove.map((cookie) => [cookie.name, cookie.reason]));

const visitor = (over: Partial<WidgetContext>): WidgetContext => ({
  surface: 'widget',
  visitorHasActed: true,
  optedOut: false,
  gpc: false,
  dnt: false,
  ...over,
});

type Row = [
  title: string,
  context: CookieContext,
  allowed: Record<string, string>,
  removed: Record<string, RemovalReason>,
];

const widgetRows: Row[] = [
  [
    'CK-7: no widget cookie before the visitor acts',
    visitor({ visitorHasActed: false }),
    {},
    { parley_chat_id: 'not_acted', parley_opt_out: 'not_acted' },
  ],
  [
    'CK-7: a privacy signal or consent does not open the door before the visitor acts',
    visitor({ visitorHasActed: false, gpc: true, consent: { preferences: true, analytics: true } }),
    {},
    { parley_chat_id: 'not_acted', parley_opt_out: 'not_acted' },
  ],
  [
    'CK-3: once the visitor acts, the chat id lives as declared',
    visitor({}),
    { parley_chat_id: 'P30D' },
    { parley_opt_out: 'not_opted_out' },
  ],
  [
    'CK-3: the chat id is strictly necessary, so refused banner consent does not remove it',
    visitor({ consent: { preferences: false, analytics: false, marketing: false } }),
    { parley_chat_id: 'P30D' },
    { parley_opt_out: 'not_opted_out' },
  ],
  [
    'SIG-1: GPC makes the chat id a session cookie',
    visitor({ gpc: true }),
    { parley_chat_id: 'session' },
    { parley_opt_out: 'not_opted_out' },
  ],
  [
    'SIG-1: DNT makes the chat id a session cookie',
    visitor({ dnt: true }),
    { parley_chat_id: 'session' },
    { parley_opt_out: 'not_opted_out' },
  ],
  [
    'CK-4: opted out → only the opt-out cookie',
    visitor({ optedOut: true }),
    { parley_opt_out: 'P1Y' },
    { parley_chat_id: 'opted_out' },
  ],
  [
    'CK-4: opting out counts as acting, on this visit or a later one',
    visitor({ optedOut: true, visitorHasActed: false }),
    { parley_opt_out: 'P1Y' },
    { parley_chat_id: 'opted_out' },
  ],
  [
    'CK-4: the opt-out outlasts the visit even under GPC, since it records a refusal',
    visitor({ optedOut: true, gpc: true, dnt: true }),
    { parley_opt_out: 'P1Y' },
    { parley_chat_id: 'opted_out' },
  ],
];

const accountRows: Row[] = [
  [
    'CK-1: signed in → the session cookie, for the browser session',
    { surface: 'dashboard', signedIn: true, rememberEmail: false },
    { parley_session: 'session' },
    { parley_remember_email: 'not_chosen' },
  ],
  [
    'CK-1: signing out removes the session cookie',
    { surface: 'dashboard', signedIn: false, rememberEmail: false },
    {},
    { parley_session: 'signed_out', parley_remember_email: 'not_chosen' },
  ],
  [
    'CK-2: remember-my-email outlives sign-out when chosen',
    { surface: 'dashboard', signedIn: false, rememberEmail: true },
    { parley_remember_email: 'P30D' },
    { parley_session: 'signed_out' },
  ],
  [
    'CK-2: remember-my-email is set alongside the session when chosen',
    { surface: 'dashboard', signedIn: true, rememberEmail: true },
    { parley_session: 'session', parley_remember_email: 'P30D' },
    {},
  ],
  [
    'CK-2: banner consent to preferences is not the explicit choice remember-my-email needs',
    { surface: 'dashboard', signedIn: true, rememberEmail: false, consent: { preferences: true } },
    { parley_session: 'session' },
    { parley_remember_email: 'not_chosen' },
  ],
  [
    'CK-1: the admin console keeps its own session cookie while signed in',
    { surface: 'admin', signedIn: true },
    { parley_admin_session: 'session' },
    {},
  ],
  [
    'CK-1: signing out of the admin console removes its session cookie',
    { surface: 'admin', signedIn: false },
    {},
    { parley_admin_session: 'signed_out' },
  ],
];

describe('decideCookies', () => {
  it.each([...widgetRows, ...accountRows])('%s', (_title, context, allowed, removed) => {
    const decision = decideCookies(declarations, context);
    expect(allowedOf(decision)).toEqual(allowed);
    expect(removedOf(decision)).toEqual(removed);
  });

  it('decides only about the cookies of the surface it is asked about', () => {
    const surfaces = {
      widget: visitor({}),
      dashboard: { surface: 'dashboard', signedIn: true, rememberEmail: true },
    };
    for (const context of Object.values(surfaces) as CookieContext[]) {
      const decision = decideCookies(declarations, context);
      for (const { name } of [...decision.allowed, ...decision.remove])
        expect(cookieSurface(declared(name))).toBe(context.surface);
    }
  });

  it('places each declared cookie on the surface that uses it', () => {
    expect(Object.fromEntries(declarations.map((cookie) => [cookie.name, cookieSurface(cookie)]))).toEqual({
      parley_session: 'dashboard',
      parley_admin_session: 'admin',
      parley_remember_email: 'dashboard',
      parley_chat_id: 'widget',
      parley_opt_out: 'widget',
    });
  });
});

// Categories the policy does not use yet, so the consent rule is proven before the first such cookie arrives.
const withOptional: CookieDeclaration[] = [
  ...declarations,
  { ...declared('parley_chat_id'), name: 'parley_widget_stats', promise: 'LOG-2', category: 'analytics' },
  {
    ...declared('parley_remember_email'),
    name: 'parley_theme',
    promise: 'RET-1',
    category: 'preferences',
    survivesSignOut: true,
  },
  {
    ...declared('parley_remember_email'),
    name: 'parley_draft',
    promise: 'RET-1',
    category: 'preferences',
    survivesSignOut: false,
  },
];

describe('decideCookies: consent for cookies that are not strictly necessary', () => {
  const rows: Array<[string, CookieContext, string, string | RemovalReason]> = [
    ['widget analytics without consent', visitor({}), 'parley_widget_stats', 'no_consent'],
    [
      'widget analytics with consent to another category',
      visitor({ consent: { preferences: true, marketing: true } }),
      'parley_widget_stats',
      'no_consent',
    ],
    [
      'widget analytics with consent',
      visitor({ consent: { analytics: true } }),
      'parley_widget_stats',
      'P30D',
    ],
    [
      'SIG-1: a privacy signal refuses it even with consent',
      visitor({ gpc: true, consent: { analytics: true } }),
      'parley_widget_stats',
      'privacy_signal',
    ],
    [
      'dashboard preference without consent',
      { surface: 'dashboard', signedIn: true, rememberEmail: false },
      'parley_theme',
      'no_consent',
    ],
    [
      'dashboard preference with consent',
      { surface: 'dashboard', signedIn: false, rememberEmail: false, consent: { preferences: true } },
      'parley_theme',
      'P30D',
    ],
    [
      'a cookie that does not survive sign-out goes on sign-out, consent or not',
      { surface: 'dashboard', signedIn: false, rememberEmail: false, consent: { preferences: true } },
      'parley_draft',
      'signed_out',
    ],
    [
      'the same cookie stays while signed in with consent',
      { surface: 'dashboard', signedIn: true, rememberEmail: false, consent: { preferences: true } },
      'parley_draft',
      'P30D',
    ],
  ];

  it.each(rows)('%s', (_title, context, name, expected) => {
    const decision = decideCookies(withOptional, context);
    const outcome = { ...allowedOf(decision), ...removedOf(decision) };
    expect(outcome[name]).toBe(expected);
  });
});

describe('refusalEffects', () => {
  it('CK-5: says what stops working, in the words of each declared purpose', () => {
    const effects = refusalEffects(declarations);
    expect(effects.map((effect) => effect.name)).toEqual(declarations.map((cookie) => cookie.name));
    for (const effect of effects) expect(effect.lost).toBe(declared(effect.name).purpose);
  });

  it('CK-5: without the session or chat-id cookie that part stops; remember-my-email is a convenience', () => {
    const essential = Object.fromEntries(refusalEffects(declarations).map((e) => [e.name, e.essential]));
    expect(essential).toMatchObject({
      parley_session: true,
      parley_chat_id: true,
      parley_remember_email: false,
    });
  });

  it('CK-5: describes a refusal in one sentence built from the purpose', () => {
    const [session, remember] = ['parley_session', 'parley_remember_email'].map(
      (name) => refusalEffects(declarations).find((effect) => effect.name === name)!,
    );
    expect(describeRefusal(session!)).toBe(
      'Refusing parley_session turns off what it does: keeps an agent or account holder signed in to the dashboard.',
    );
    expect(describeRefusal(remember!)).toMatch(/^Refusing parley_remember_email .*Everything else works\.$/);
  });
});
