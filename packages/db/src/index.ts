export * from './account-data.ts';
export * from './admin/index.ts';
export * from './aggregates.ts';
export { BackupError, backupSqlite, integrityCheck, sqliteUsedBytes } from './backup.ts';
export * from './canned/canned-replies.ts';
export * from './card-summary.ts';
export { type Checkpointer, type CheckpointReport, startCheckpointer } from './checkpointer.ts';
export * from './classification.ts';
export * from './column-retention.ts';
export {
  checkpoint,
  closeDatabase,
  type Dialect,
  defaultMigrationFolders,
  defaultMigrationsFolder,
  holdExclusively,
  type MigrationFolders,
  migrate,
  openDatabase,
  openStore,
  type ParleyDb,
  StoreInUseError,
  type StoreOptions,
} from './connection.ts';
export * from './consent.ts';
export * from './copy-store.ts';
export * from './disclosures.ts';
export * from './erase-visitor.ts';
export * from './erasure-ledger.ts';
export { hashChatId, newId, newOrderedId, newSecret, sha256 } from './ids.ts';
export * from './installation-tokens.ts';
export * from './mail-limits.ts';
export * from './marketing.ts';
export * from './notices.ts';
export { checkPassword, hashPassword, verifyPassword } from './passwords.ts';
export { migrationNames, pendingMigrations } from './pending-migrations.ts';
export * from './processor-handoff.ts';
export * from './requests.ts';
export * from './restore-checks.ts';
export * from './retention.ts';
export * from './row-files.ts';
export * from './search/search.ts';
export type { Snippet } from './search/snippet.ts';
export * from './second-factor/index.ts';
export * from './signup/pending-signups.ts';
export { exclusively, inTurn } from './statements.ts';
export { erasureSettings, probeStore, storeClock } from './store-health.ts';
export * from './tags/tags.ts';
export { TransactionInterleavingError, transaction, whenFree } from './transaction.ts';
export * from './visitor-data.ts';
export * from './websites/proactive-greeting.ts';
export * from './websites/websites.ts';
export * from './websites/working-hours.ts';
