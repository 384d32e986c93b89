// Queries for the admin console (apps/admin). Named so as not to collide with the chat server's own exports.
export * from './accounts.ts';
export * from './audit.ts';
export * from './marketing-audience.ts';
export * from './outbox.ts';
export * from './overview.ts';
export * from './owner-second-factor.ts';
export * from './staff.ts';
export * from './staff-sessions.ts';
export * from './support.ts';
export * from './suspensions.ts';
