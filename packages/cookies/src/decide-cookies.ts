import type { CookieCategory, CookieDeclaration, CookieLifetime } from '@parley/policy';
import type { CookieName } from './declarations.ts';

// This runs in the widget too: declarations come in as a parameter and every import here is type-only, so no
// zod and no policy model reach the browser bundle.

export type Surface = 'widget' | 'dashboard' | 'admin';

/** Choices from a consent banner; anything not answered `true` is refused. */
export interface Consent {
  preferences?: boolean;
  analytics?: boolean;
  marketing?: boolean;
}

export interface WidgetContext {
  surface: 'widget';
  /** The visitor opened or sent a chat, now or on an earlier visit (a Parley cookie already present shows that). */
  visitorHasActed: boolean;
  optedOut: boolean;
  /** `Sec-GPC: 1` or `navigator.globalPrivacyControl`. */
  gpc: boolean;
  /** `DNT: 1` or `navigator.doNotTrack === '1'`. */
  dnt: boolean;
  consent?: Consent;
}

export interface DashboardContext {
  surface: 'dashboard';
  signedIn: boolean;
  /** The "Remember my email" box is ticked: the explicit choice that the preferences cookie of CK-2 needs. */
  rememberEmail: boolean;
  consent?: Consent;
}

export interface AdminContext {
  surface: 'admin';
  signedIn: boolean;
  consent?: Consent;
}

export type CookieContext = WidgetContext | DashboardContext | AdminContext;

export type RemovalReason =
  | 'not_acted'
  | 'opted_out'
  | 'not_opted_out'
  | 'signed_out'
  | 'not_chosen'
  | 'privacy_signal'
  | 'no_consent';

export interface AllowedCookie {
  name: CookieName;
  lifetime: CookieLifetime;
}

export interface RemovedCookie {
  name: CookieName;
  reason: RemovalReason;
}

/** For one surface: the cookies that may exist, each with the lifetime to set, and those that must be removed. */
export interface CookieDecision {
  allowed: AllowedCookie[];
  remove: RemovedCookie[];
}

/** Where a cookie lives: the widget's cookies on customers' sites, the rest on the dashboard or the admin console. */
export const cookieSurface = (declaration: CookieDeclaration): Surface =>
  declaration.setBy === 'widget'
    ? 'widget'
    : declaration.subject === 'operator_staff'
      ? 'admin'
      : 'dashboard';

const consented = (category: CookieCategory, consent: Consent | undefined): boolean =>
  category === 'strictly_necessary' || consent?.[category] === true;

type Verdict = { lifetime: CookieLifetime } | { reason: RemovalReason };

const keep = (lifetime: CookieLifetime): Verdict => ({ lifetime });
const remove = (reason: RemovalReason): Verdict => ({ reason });

function widgetVerdict(cookie: CookieDeclaration, context: WidgetContext): Verdict {
  // CK-4: turning chat off leaves the opt-out cookie and nothing else; turning it back on removes that cookie. It
  // keeps its declared life even under a privacy signal: it records a refusal, so it must outlast the visit.
  if (context.optedOut) return cookie.promise === 'CK-4' ? keep(cookie.lifetime) : remove('opted_out');
  if (!context.visitorHasActed) return remove('not_acted');
  if (cookie.promise === 'CK-4') return remove('not_opted_out');
  const signal = context.gpc || context.dnt;
  // SIG-1: with a privacy signal, nothing beyond what the chat in progress strictly needs, whatever the banner says.
  if (signal && cookie.category !== 'strictly_necessary') return remove('privacy_signal');
  if (!consented(cookie.category, context.consent)) return remove('no_consent');
  // SIG-1: the chat id still carries the chat across pages, but ends with the browser, so no visit is recognised.
  if (signal) return keep('session');
  return keep(cookie.lifetime);
}

function accountVerdict(cookie: CookieDeclaration, context: DashboardContext | AdminContext): Verdict {
  if (!context.signedIn && !cookie.survivesSignOut) return remove('signed_out');
  if (cookie.promise === 'CK-1') return context.signedIn ? keep(cookie.lifetime) : remove('signed_out');
  // CK-2: ticking the box is the explicit choice this preferences cookie needs; unticking it removes the cookie.
  if (cookie.promise === 'CK-2')
    return context.surface === 'dashboard' && context.rememberEmail
      ? keep(cookie.lifetime)
      : remove('not_chosen');
  return consented(cookie.category, context.consent) ? keep(cookie.lifetime) : remove('no_consent');
}

/** Which of the surface's declared cookies may exist, and for how long (CK-1..CK-5, CK-7, SIG-1). Pure. */
export function decideCookies(
  declarations: readonly CookieDeclaration[],
  context: CookieContext,
): CookieDecision {
  const decision: CookieDecision = { allowed: [], remove: [] };
  for (const cookie of declarations) {
    if (cookieSurface(cookie) !== context.surface) continue;
    const verdict =
      context.surface === 'widget' ? widgetVerdict(cookie, context) : accountVerdict(cookie, context);
    const name = cookie.name as CookieName;
    if ('reason' in verdict) decision.remove.push({ name, reason: verdict.reason });
    else decision.allowed.push({ name, lifetime: verdict.lifetime });
  }
  return decision;
}

/** CK-5: what a person loses by refusing one cookie, in the words of its declared purpose. */
export interface RefusalEffect {
  name: CookieName;
  surface: Surface;
  /** Strictly necessary: what it does cannot work without it. Otherwise only that convenience is lost. */
  essential: boolean;
  lost: string;
}

export const refusalEffects = (declarations: readonly CookieDeclaration[]): RefusalEffect[] =>
  declarations.map((cookie) => ({
    name: cookie.name as CookieName,
    surface: cookieSurface(cookie),
    essential: cookie.category === 'strictly_necessary',
    lost: cookie.purpose,
  }));

/** One sentence per refused cookie, for the policy page and the widget's cookie notice (CK-5). */
export const describeRefusal = (effect: RefusalEffect): string =>
  `Refusing ${effect.name} turns off what it does: ${effect.lost.charAt(0).toLowerCase()}${effect.lost.slice(1)}${
    effect.essential ? '' : ' Everything else works.'
  }`;
