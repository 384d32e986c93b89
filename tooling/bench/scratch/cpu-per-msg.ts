import { GeneratorProcess } from '../src/load/generator-client.ts';
import { signIn, startParleyWithAccounts } from '../src/parley-fixture.ts';
const p = await startParleyWithAccounts(10);
const accounts = [];
for (const a of p.accounts) accounts.push({ publicKey: a.publicKey, agentPath: '/ws/agent', agentHeaders: { cookie: await signIn(p.server.baseUrl, a), origin: p.server.baseUrl } });
const gen = new GeneratorProcess();
await gen.setup({ name: 'parley', transport: 'ws', baseUrl: p.server.baseUrl, accounts, visitorsPerAccount: 100, serverPid: p.server.pid });
for (const rate of (process.argv[2] ?? '2000,2000,2000').split(',').map(Number)) {
  const s = await gen.step(rate, { warmupMs: 1000, measureMs: 3000, drainMs: 10000 });
  console.log(`rate ${rate}: delivered ${s.deliveredPerSec}/s, server ${(s.serverCpuMs! * 1000 / (s.deliveredPerSec * 3)).toFixed(0)} µs CPU/msg, generator ${(s.generatorCpuMs * 1000 / (s.deliveredPerSec * 3)).toFixed(0)} µs/msg, p50 ${s.latency.p50.toFixed(1)} p99 ${s.latency.p99.toFixed(1)}`);
}
await gen.close(); await p.server.stop(); p.dir.remove();
