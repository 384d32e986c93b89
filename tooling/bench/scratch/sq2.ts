import Database from '../../../packages/db/node_modules/better-sqlite3/lib/index.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
for (const file of [':memory:', '/tmp/sq2.db']) {
  const db = new Database(file);
  if (file !== ':memory:') { db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); if (process.env.CACHE) db.pragma('cache_size = ' + process.env.CACHE); if (process.env.MMAP) db.pragma('mmap_size = ' + process.env.MMAP); }
  db.exec('DROP TABLE IF EXISTS t; CREATE TABLE t (id TEXT PRIMARY KEY, c TEXT, body TEXT, k TEXT); CREATE UNIQUE INDEX t_k ON t(c, k); CREATE INDEX t_c ON t(c);');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  const body = 'x'.repeat(100);
  for (let round = 0; round < 3; round++) {
    const n = 20000; const cpu0 = process.cpuUsage(); const t0 = performance.now();
    for (let i = 0; i < n; i += 100) db.transaction(() => { for (let j = 0; j < 100; j++) ins.run(randomUUID(), 'c' + ((i + j) % 1000), body, 'k' + round + '_' + (i + j)); })();
    const cpu = process.cpuUsage(cpu0);
    console.log(file, round, ((performance.now() - t0) / n * 1000).toFixed(1), 'µs wall', ((cpu.user + cpu.system) / n).toFixed(1), 'cpu', (cpu.system / n).toFixed(1), 'sys');
  }
  db.close();
}
