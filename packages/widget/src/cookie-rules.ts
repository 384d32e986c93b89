import type { CookieName } from '@parley/cookies';
import {
  type BrowserCookies,
  type CookieDecision,
  type createBrowserCookies,
  decideCookies,
} from '@parley/cookies/browser';
import { CHAT_ID_COOKIE } from './cookie-names.ts';

// How the widget applies the policy's cookie decision. Every cookie the widget writes or removes goes through
// `applyWidgetCookies`: `decideCookies` says which cookies may exist and for how long, `createBrowserCookies`
// refuses anything the policy does not declare (CK-7).

export type WidgetCookieDeclaration = Parameters<typeof createBrowserCookies>[0][number];

/** What the opt-out cookie holds; its presence is what counts. */
export const OPT_OUT_VALUE = '1';

/** Mirrors the protocol's ChatId: anything else from the server is not written into a cookie. */
export const isChatId = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(value);

export interface PrivacySignals {
  /** Global Privacy Control. */
  gpc: boolean;
  /** Do Not Track. */
  dnt: boolean;
}

/**
 * SIG-1: `navigator.globalPrivacyControl`, Do Not Track in either place browsers have put it, and what the page says
 * its own request carried (`data-gpc="1"`, `data-dnt="1"` on the widget's script tag): a browser may send the header
 * without showing scripts the signal, and sends no header at all on the widget's WebSocket.
 */
export const readPrivacySignals = (
  nav: { globalPrivacyControl?: boolean; doNotTrack?: string | null },
  win: { doNotTrack?: string | null } = {},
  page: { gpc?: string | undefined; dnt?: string | undefined } = {},
): PrivacySignals => ({
  gpc: nav.globalPrivacyControl === true || page.gpc === '1',
  dnt: nav.doNotTrack === '1' || win.doNotTrack === '1' || page.dnt === '1',
});

export interface WidgetCookieState {
  /** The visitor opened or sent a chat. */
  acted: boolean;
  optedOut: boolean;
  signals: PrivacySignals;
}

export const widgetCookieDecision = (
  declarations: readonly WidgetCookieDeclaration[],
  { acted, optedOut, signals }: WidgetCookieState,
): CookieDecision =>
  decideCookies(declarations, {
    surface: 'widget',
    visitorHasActed: acted,
    optedOut,
    gpc: signals.gpc,
    dnt: signals.dnt,
  });

/**
 * SIG-1: whether the chat id may outlive the browser session. `hello.persistent` comes from the same decision that
 * sets the cookie, so the server and the browser never disagree about recognising the visitor later.
 */
export function chatIdIsPersistent(
  declarations: readonly WidgetCookieDeclaration[],
  signals: PrivacySignals,
): boolean {
  const chatId = widgetCookieDecision(declarations, { acted: true, optedOut: false, signals }).allowed.find(
    (cookie) => cookie.name === CHAT_ID_COOKIE,
  );
  return chatId !== undefined && chatId.lifetime !== 'session';
}

/**
 * Brings the widget's cookies in line with the decision for `state`: each allowed cookie with a value in `values`
 * is written with the decided lifetime, every cookie the decision removes is removed (which writes nothing when it
 * is absent). Returns the decision, for the caller's record.
 */
export function applyWidgetCookies(
  cookies: BrowserCookies,
  declarations: readonly WidgetCookieDeclaration[],
  state: WidgetCookieState,
  values: Partial<Record<CookieName, string>>,
): CookieDecision {
  const decision = widgetCookieDecision(declarations, state);
  for (const { name, lifetime } of decision.allowed) {
    const value = values[name];
    if (value !== undefined) cookies.write(name, value, lifetime);
  }
  for (const { name } of decision.remove) cookies.remove(name);
  return decision;
}
