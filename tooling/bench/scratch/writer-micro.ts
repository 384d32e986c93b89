import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openDatabase, newId } from '@parley/db';
import { createMessageWriter, openConversationFor } from '@parley/db/chat';
import { createBenchAccounts, insertConversations } from '../src/fill-database.ts';
import { tempDir } from '../src/servers.ts';
const dir = tempDir('writer');
const db = openDatabase(join(dir.path, 'parley.db'));
await migrate(db); if (process.env.CACHE) db.sqlite.pragma('cache_size = ' + process.env.CACHE); if (process.env.MMAP) db.sqlite.pragma('mmap_size = ' + process.env.MMAP); if (process.env.WALCK) db.sqlite.pragma('wal_autocheckpoint = ' + process.env.WALCK);
const [acc] = await createBenchAccounts(db, 1);
const visitors = insertConversations(db, { accountId: acc!.accountId, visitors: 1000, messagesPerVisitor: 0, closedAt: null, lastSeenAt: Date.now() });
const convs = db.sqlite.prepare('SELECT id, visitor_id FROM conversations').all() as Array<{ id: string; visitor_id: string }>;
const writer = createMessageWriter(db);
let seq = 0;
for (const batch of [1, 5, 20, 100, 500]) {
  const n = 20000;
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i += batch) {
    const ps = [];
    for (let j = 0; j < batch; j++) { const c = convs[(seq++) % convs.length]!; ps.push(writer.append({ conversationId: c.id, accountId: acc!.accountId, visitorId: c.visitor_id, author: 'visitor', body: 'x'.repeat(100), clientKey: `k_${seq}_aaaaaaaa` })); }
    await Promise.all(ps);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`batch ${batch}: ${((performance.now() - t0) / n * 1000).toFixed(1)} µs/msg wall, ${((cpu.user + cpu.system) / n).toFixed(1)} µs/msg cpu (sys ${(cpu.system / n).toFixed(1)})`);
}
let t0 = performance.now();
for (let i = 0; i < 20000; i++) newId('msg');
console.log('newId', ((performance.now() - t0) / 20000 * 1000).toFixed(2), 'µs');
t0 = performance.now();
for (let i = 0; i < 20000; i++) await openConversationFor(db, { accountId: acc!.accountId, visitorId: visitors[i % 1000]! });
console.log('openConversationFor', ((performance.now() - t0) / 20000 * 1000).toFixed(2), 'µs');
db.sqlite.close(); dir.remove();
