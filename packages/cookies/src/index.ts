// Node-side API. The widget imports `@parley/cookies/browser`, which stays free of zod and the policy model.
export * from './cookie-errors.ts';
export { cookieHeaderValue } from './cookie-header.ts';
export * from './decide-cookies.ts';
export * from './declarations.ts';
export * from './session-cookie.ts';
export { type SetCookieOptions, serializeClearCookie, serializeSetCookie } from './set-cookie.ts';
