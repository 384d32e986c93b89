import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openDatabase } from '@parley/db';
import { createMessageWriter, openConversationFor } from '@parley/db/chat';
import { createBenchAccounts, insertConversations } from '../src/fill-database.ts';
import { tempDir } from '../src/servers.ts';
const dir = tempDir('hot');
const db = openDatabase(join(dir.path, 'parley.db'));
await migrate(db); for (const p of (process.env.PRAGMAS ?? '').split(';').filter(Boolean)) db.sqlite.pragma(p);
const [acc] = await createBenchAccounts(db, 1);
const visitors = insertConversations(db, { accountId: acc!.accountId, visitors: 1000, messagesPerVisitor: 0, closedAt: null, lastSeenAt: Date.now() });
const writer = createMessageWriter(db);
let seq = 0;
const body = 'x'.repeat(100);
// One "turn" handles `batch` messages from different visitors, as the server does when it is busy.
async function one(v: string) {
  const { conversationId } = await openConversationFor(db, { accountId: acc!.accountId, visitorId: v });
  await writer.append({ conversationId, accountId: acc!.accountId, visitorId: v, author: 'visitor', body, clientKey: `key_${seq++}_abcdefgh` });
}
for (const batch of [10, 50, 200]) {
  const n = 20000; const c = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < n; i += batch) { const ps = []; for (let j = 0; j < batch; j++) ps.push(one(visitors[(i + j) % 1000]!)); await Promise.all(ps); }
  const cpu = process.cpuUsage(c);
  console.log(`batch ${String(batch).padStart(3)}: ${((performance.now() - t) / n * 1000).toFixed(1)} µs/msg wall, ${((cpu.user + cpu.system) / n).toFixed(1)} µs cpu (sys ${(cpu.system / n).toFixed(1)})`);
}
db.sqlite.close(); dir.remove();
