import type { CookieName } from '@parley/cookies';

// The widget's cookie names, checked against the policy's list by the compiler. A module of its own so the
// launcher can read the opt-out cookie without bundling any cookie-writing code.

export const CHAT_ID_COOKIE = 'parley_chat_id' satisfies CookieName;
export const OPT_OUT_COOKIE = 'parley_opt_out' satisfies CookieName;

/** Whether `cookieHeader` (a `document.cookie` string) holds a cookie called `name`; reads, never writes. */
export const hasCookie = (cookieHeader: string, name: string): boolean =>
  cookieHeader.split(';').some((pair) => pair.split('=')[0]?.trim() === name);
