import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = new Map();
const skipUs = Number(process.env.SKIP_MS ?? 0) * 1000;
const untilUs = Number(process.env.UNTIL_MS ?? 1e12) * 1000;
let clock = 0;
for (let i = 0; i < prof.samples.length; i++) {
  clock += prof.timeDeltas[i] ?? 0;
  if (clock < skipUs || clock > untilUs) continue;
  dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
console.log('profile length', (clock / 1e6).toFixed(1), 's');
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\/\.pnpm\//, '').replace(/.*\/work\/main\//, '')}:${n.callFrame.lineNumber}`;
let total = 0;
const incl = new Map();
for (const [id, t] of dt) {
  total += t;
  const n = byId.get(id);
  self.set(name(n), (self.get(name(n)) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + t);
  }
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(t / 1000).toFixed(0).padStart(7)} ms ${((t / total) * 100).toFixed(1).padStart(5)}%  ${n}`).join('\n');
console.log('total', (total / 1000).toFixed(0), 'ms');
console.log('--- self'); console.log(top(self, Number(process.argv[3] ?? 30)));
console.log('--- inclusive'); console.log(top(incl, Number(process.argv[4] ?? 40)));
