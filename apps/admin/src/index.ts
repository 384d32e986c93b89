export { createAdminApp, TRPC_ENDPOINT } from './admin-app.ts';
export type { AdminAppOptions } from './context.ts';
export { type AdminErrorCode, ERROR_TABLE } from './errors.ts';
export { type AdminRouter, adminRouter } from './router.ts';
export { ADMIN_COOKIE, SESSION_TTL_MS } from './staff-session.ts';
