import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GeneratorProcess } from '../src/load/generator-client.ts';
import { startParleyWithAccounts } from '../src/parley-fixture.ts';
const p = await startParleyWithAccounts(1, { nodeArgs: ['--heapsnapshot-signal=SIGUSR2'] });
const target = { name: 'p', transport: 'ws' as const, baseUrl: p.server.baseUrl, accounts: [{ publicKey: p.accounts[0]!.publicKey, agentPath: null }], visitorHeaders: { origin: 'https://c.example' } };
const warm = new GeneratorProcess(); await warm.setup({ ...target, visitorsPerAccount: 200 }, { idle: true });
const snap = async () => { const before = new Set(readdirSync(p.dir.path)); process.kill(p.server.pid, 'SIGUSR2'); for (;;) { await new Promise((r) => setTimeout(r, 500)); const f = readdirSync(p.dir.path).find((x) => x.endsWith('.heapsnapshot') && !before.has(x)); if (f) { const path = join(p.dir.path, f); let last = -1; for (;;) { await new Promise((r) => setTimeout(r, 1000)); const size = (await import('node:fs')).statSync(path).size; if (size === last && size > 0) return path; last = size; } } } };
const a = await snap();
const load = new GeneratorProcess(); await load.setup({ ...target, visitorsPerAccount: 2000 }, { idle: true });
await new Promise((r) => setTimeout(r, 2000));
const b = await snap();
function agg(file: string) {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const f = s.snapshot.meta.node_fields; const types = s.snapshot.meta.node_types[0]; const n = f.length;
  const iType = f.indexOf('type'), iName = f.indexOf('name'), iSize = f.indexOf('self_size');
  const m = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < s.nodes.length; i += n) {
    const type = types[s.nodes[i + iType]]; let name = s.strings[s.nodes[i + iName]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    if (type === 'code') name = '(code)';
    const key = `${type}:${String(name).slice(0, 80)}`;
    const e = m.get(key) ?? { count: 0, size: 0 }; e.count++; e.size += s.nodes[i + iSize]; m.set(key, e);
  }
  return m;
}
const A = agg(a), B = agg(b);
const rows = [...B].map(([k, v]) => [k, v.count - (A.get(k)?.count ?? 0), v.size - (A.get(k)?.size ?? 0)] as const).sort((x, y) => y[2] - x[2]);
let total = 0; for (const r of rows) total += r[2];
console.log('total heap diff per socket', (total / 2000).toFixed(0), 'bytes');
for (const r of rows.slice(0, 45)) console.log(String(r[2] / 2000 | 0).padStart(6), 'B/sock', String((r[1] / 2000).toFixed(2)).padStart(6), 'obj/sock', r[0]);
await load.close(); await warm.close(); await p.server.stop(); p.dir.remove();
