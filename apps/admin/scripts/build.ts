import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildUi } from './build-ui.ts';

// Builds the console's page into dist/public. The console itself runs inside the chat server, which serves this
// page on the console's own listener.

const dist = fileURLToPath(new URL('../dist', import.meta.url));

await rm(dist, { recursive: true, force: true });
await buildUi(fileURLToPath(new URL('../dist/public', import.meta.url)));

console.log('Built apps/admin/dist/public');
