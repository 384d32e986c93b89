import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openDatabase, closeDatabase } from '@parley/db';
import { createBenchAccounts, insertConversations } from '../src/fill-database.ts';
import { tempDir } from '../src/servers.ts';
const dir = tempDir('erase');
const db = openDatabase(join(dir.path, 'parley.db'));
await migrate(db); if (process.env.CACHE) db.sqlite.pragma('cache_size = ' + process.env.CACHE); if (process.env.MMAP) db.sqlite.pragma('mmap_size = ' + process.env.MMAP);
const [acc] = await createBenchAccounts(db, 1);
insertConversations(db, { accountId: acc!.accountId, visitors: 1000, messagesPerVisitor: 100, closedAt: null, lastSeenAt: Date.now() });
const targets = insertConversations(db, { accountId: acc!.accountId, visitors: 6, messagesPerVisitor: 10000, closedAt: null, lastSeenAt: Date.now() });
db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
for (const [i, visitorId] of targets.entries()) {
  if (i % 2 === 1) db.sqlite.pragma('secure_delete = OFF'); else db.sqlite.pragma('secure_delete = ON');
  let t = performance.now(); const cpu0 = process.cpuUsage();
  db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM messages WHERE visitor_id = ? AND account_id = ?').run(visitorId, acc!.accountId);
  })();
  const a = performance.now() - t; const cpuA = process.cpuUsage(cpu0); t = performance.now();
  db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM conversations WHERE visitor_id = ?').run(visitorId);
    db.sqlite.prepare('DELETE FROM visitors WHERE id = ?').run(visitorId);
  })();
  const b = performance.now() - t; t = performance.now();
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const c = performance.now() - t;
  console.log(db.sqlite.pragma('secure_delete', { simple: true }), 'msgs', a.toFixed(1), 'cpu', ((cpuA.user+cpuA.system)/1000).toFixed(1), 'conv+vis', b.toFixed(1), 'ckpt', c.toFixed(1));
}
await closeDatabase(db); dir.remove();
