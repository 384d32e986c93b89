// Live chat's queries: accounts, agents and their sessions, visitors, conversations and messages. Every function
// that reads or changes an account's data takes the account id and scopes its query by it, so that a caller cannot
// reach another account's rows by passing a foreign id (tenant isolation).
export * from './access-log.ts';
export * from './accounts.ts';
export * from './agents.ts';
export * from './api-keys.ts';
export * from './audit.ts';
export * from './conversations.ts';
export * from './departments.ts';
export * from './files.ts';
export * from './installation-secrets.ts';
export * from './invitations.ts';
export * from './message-writer.ts';
export * from './messages.ts';
export * from './missed-chats.ts';
export * from './missed-messages.ts';
export * from './notes.ts';
export * from './offline-messages.ts';
export * from './page-visits.ts';
export * from './routing.ts';
export * from './self-service.ts';
export * from './sessions.ts';
export * from './spam.ts';
export * from './visitor-blocks.ts';
export * from './visitors.ts';
