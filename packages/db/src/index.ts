export * from './classification.ts';
export * from './column-retention.ts';
export {
  checkpoint,
  closeDatabase,
  defaultMigrationsFolder,
  migrate,
  openDatabase,
  type ParleyDb,
} from './connection.ts';
export { hashChatId, newId, newSecret, sha256 } from './ids.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
