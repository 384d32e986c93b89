import { GeneratorProcess } from '/work/main/tooling/bench/src/load/generator-client.ts';
import { startRelay } from '/work/main/tooling/bench/src/servers.ts';
const kind = (process.argv[2] ?? 'bare-ws') as 'bare-ws' | 'socketio';
const relay = await startRelay(kind);
const gen = new GeneratorProcess();
const accounts = Array.from({ length: 10 }, (_, i) => ({ publicKey: `pk_${i}`, agentPath: `/ws/agent?account=pk_${i}` }));
console.log(await gen.setup({ name: kind, transport: kind === 'bare-ws' ? 'ws' : 'socketio', baseUrl: relay.baseUrl, accounts, visitorsPerAccount: 100, serverPid: relay.pid }));
for (const rate of [5000, 10000, 20000, 30000, 40000]) {
  const r = await gen.step(rate, { warmupMs: 1000, measureMs: 3000, drainMs: 10000 });
  console.log(JSON.stringify(r));
}
await gen.close(); await relay.stop();
