import { join } from 'node:path';
import { migrate, openDatabase } from '@parley/db';
import { createMessageWriter, openConversationFor } from '@parley/db/chat';
import { createBenchAccounts, insertConversations } from '../src/fill-database.ts';
import { tempDir } from '../src/servers.ts';
for (const batch of [1, 10, 100, 1000]) {
  const dir = tempDir('fr');
  const db = openDatabase(join(dir.path, 'parley.db'));
  await migrate(db);
  const [acc] = await createBenchAccounts(db, 1);
  const visitors = insertConversations(db, { accountId: acc!.accountId, visitors: 1000, messagesPerVisitor: 0, closedAt: null, lastSeenAt: Date.now() });
  // Pre-fill so indexes have realistic depth.
  for (let k = 0; k < 20; k++) { const w = createMessageWriter(db); const ps = []; for (let i = 0; i < 1000; i++) ps.push(w.append({ conversationId: (db.sqlite.prepare('SELECT id FROM conversations WHERE visitor_id = ?').get(visitors[i]) as any).id, accountId: acc!.accountId, visitorId: visitors[i]!, author: 'visitor', body: 'x'.repeat(100), clientKey: `pre_${k}_${i}_abcdefgh` })); await Promise.all(ps); }
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  db.sqlite.pragma('wal_autocheckpoint = 0');
  const writer = createMessageWriter(db);
  let seq = 0; const n = 5000;
  const convOf = new Map<string, string>();
  for (let i = 0; i < n; i += batch) {
    const ps = [];
    for (let j = 0; j < batch; j++) { const v = visitors[(i + j) % 1000]!; ps.push((async () => { const { conversationId } = await openConversationFor(db, { accountId: acc!.accountId, visitorId: v }); await writer.append({ conversationId, accountId: acc!.accountId, visitorId: v, author: 'visitor', body: 'x'.repeat(100), clientKey: `key_${seq++}_abcdefgh` }); })()); }
    await Promise.all(ps);
  }
  const [ck] = db.sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
  const pages = (db.sqlite.pragma('page_count', { simple: true }) as number);
  console.log(`batch ${batch}: WAL frames per message ${(ck!.log / n).toFixed(2)}; db pages ${pages}`);
  db.sqlite.close(); dir.remove();
}
