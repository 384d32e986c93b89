import { createWebsite, defaultWebsiteSettings, type ParleyDb, type Website } from '@parley/db';
import type { VisitorContextItems } from '@parley/protocol';

/** Every context item turned on. */
export const ALL_VISITOR_CONTEXT: VisitorContextItems = {
  pages: true,
  localTime: true,
  country: true,
  browser: true,
  history: true,
};

/**
 * Gives an account that has no website yet one that shows `items` to its agents: the account's own public key then
 * opens the chat on it.
 */
export function showVisitorContext(
  db: ParleyDb,
  accountId: string,
  items: VisitorContextItems = ALL_VISITOR_CONTEXT,
): Promise<Website> {
  return createWebsite(db, accountId, { ...defaultWebsiteSettings('Shop'), context: items });
}
