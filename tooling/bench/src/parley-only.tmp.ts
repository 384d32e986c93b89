import { measureParley } from './throughput.ts';
await measureParley(console.log);
process.exit(0);
