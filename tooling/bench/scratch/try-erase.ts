import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eraseVisitor, migrate, openDatabase, closeDatabase } from '@parley/db';
import { createBenchAccounts, insertConversations, countMessages } from '../src/fill-database.ts';
import { tempDir } from '../src/servers.ts';
const dir = tempDir('erase');
const db = openDatabase(join(dir.path, 'parley.db'));
await migrate(db);
const [acc] = await createBenchAccounts(db, 1);
let t = performance.now();
insertConversations(db, { accountId: acc!.accountId, visitors: 1000, messagesPerVisitor: 100, closedAt: null, lastSeenAt: Date.now() });
const targets = insertConversations(db, { accountId: acc!.accountId, visitors: 5, messagesPerVisitor: 10000, closedAt: null, lastSeenAt: Date.now() });
console.log('fill', performance.now() - t, countMessages(db));
for (const visitorId of targets) {
  t = performance.now();
  const r = await eraseVisitor(db, { accountId: acc!.accountId, visitorId, reason: 'request', actor: { kind: 'system' } });
  console.log('erase', (performance.now() - t).toFixed(1), JSON.stringify(r.counts));
}
await closeDatabase(db); dir.remove();
