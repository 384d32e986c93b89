import { GeneratorProcess } from '../src/load/generator-client.ts';
import { signIn, startParleyWithAccounts } from '../src/parley-fixture.ts';
const p = await startParleyWithAccounts(10, process.env.PROF ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] } : {});
const accounts = [];
for (const a of p.accounts) accounts.push({ publicKey: a.publicKey, agentPath: '/ws/agent', agentHeaders: { cookie: await signIn(p.server.baseUrl, a), origin: p.server.baseUrl } });
const gen = new GeneratorProcess(); const t0 = Date.now();
console.log(await gen.setup({ name: 'parley', transport: 'ws', baseUrl: p.server.baseUrl, accounts, visitorsPerAccount: 100, serverPid: p.server.pid }));
console.log('setup done at', Date.now() - t0, 'ms after generator start'); for (const rate of (process.argv[2] ?? '2000,4000').split(',').map(Number)) console.log(JSON.stringify(await gen.step(rate, { warmupMs: 1000, measureMs: 3000, drainMs: 10000 })));
await gen.close(); await p.server.stop(); console.log(p.server.output.slice(-5).join('\n')); p.dir.remove();
