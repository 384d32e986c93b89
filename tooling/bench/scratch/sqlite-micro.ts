import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { migrate, openDatabase } from '@parley/db';
import { createBenchAccounts, insertConversations } from '../src/fill-database.ts';
import { tempDir } from '../src/servers.ts';
const dir = tempDir('sq');
const db = openDatabase(join(dir.path, 'parley.db'));
await migrate(db);
if (process.env.CACHE) db.sqlite.pragma('cache_size = ' + process.env.CACHE);
if (process.env.SD) db.sqlite.pragma('secure_delete = ' + process.env.SD);
const [acc] = await createBenchAccounts(db, 1);
insertConversations(db, { accountId: acc!.accountId, visitors: 1000, messagesPerVisitor: 0, closedAt: null, lastSeenAt: Date.now() });
const convs = db.sqlite.prepare('SELECT id, visitor_id FROM conversations').all() as Array<{ id: string; visitor_id: string }>;
const insert = db.sqlite.prepare(`INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, agent_id, body, client_key, created_at)
  VALUES (@id, @conversationId, @accountId, @visitorId, @author, @agentId, @body, @clientKey, @createdAt) ON CONFLICT (conversation_id, author, client_key) DO NOTHING`);
const find = db.sqlite.prepare(`SELECT m.id FROM messages m LEFT JOIN agents g ON g.id = m.agent_id WHERE m.conversation_id = ? AND m.author = ? AND m.client_key = ?`);
let seq = 0;
const body = 'x'.repeat(100);
for (const withFind of [false, true]) for (const batch of [10, 100]) {
  const n = 20000;
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i += batch) {
    db.sqlite.transaction(() => {
      for (let j = 0; j < batch; j++) { const c = convs[(seq++) % convs.length]!; const k = `k_${seq}_aaaaaaaa`;
        insert.run({ id: 'msg_' + randomUUID(), conversationId: c.id, accountId: acc!.accountId, visitorId: c.visitor_id, author: 'visitor', agentId: null, body, clientKey: k, createdAt: Date.now() });
        if (withFind) find.get(c.id, 'visitor', k); }
    })();
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`find=${withFind} batch ${batch}: ${((performance.now() - t0) / n * 1000).toFixed(1)} µs/msg wall, ${((cpu.user + cpu.system) / n).toFixed(1)} µs cpu (sys ${(cpu.system / n).toFixed(1)})`);
}
db.sqlite.close(); dir.remove();
