import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { generateKey, type Keyring, parseKeyring } from '@parley/cookies';
import {
  closeDatabase,
  defaultMigrationsFolder,
  folderFileStore,
  migrate,
  openDatabase,
  policyAsRunHere,
} from '@parley/db';
import { policyForInstallation } from '@parley/policy';
import { createAdminApp } from './admin-app.ts';
import { readEnv } from './env.ts';

const env = readEnv();

// The bundle (`dist/main.js`) has the migrations copied beside it; from source, they are in packages/db.
const bundled = fileURLToPath(new URL('./drizzle', import.meta.url));
const migrationsFolder = existsSync(bundled) ? bundled : defaultMigrationsFolder;

if (env.DATABASE_PATH !== ':memory:') mkdirSync(dirname(env.DATABASE_PATH), { recursive: true });
// Mail the chat server wrote to files is deleted with its rows when the console runs the retention sweep.
const db = openDatabase(env.DATABASE_PATH, {
  files: { mail: folderFileStore(env.PARLEY_MAIL_DIR, '.eml') },
});
await migrate(db, migrationsFolder);

const keyring: Keyring = env.PARLEY_SESSION_KEYS
  ? parseKeyring(env.PARLEY_SESSION_KEYS)
  : { current: { id: 'admin', key: generateKey() }, previous: [] };

// CHG-1: each version dated with when it came, or comes, into force here, as the chat server recorded it.
const policy = await policyAsRunHere(
  db,
  policyForInstallation({
    ...(env.PARLEY_REGION ? { region: env.PARLEY_REGION } : {}),
    ...(env.PARLEY_OPERATOR_NAME ? { controllerName: env.PARLEY_OPERATOR_NAME } : {}),
    ...(env.PARLEY_PRIVACY_CONTACT ? { contact: env.PARLEY_PRIVACY_CONTACT } : {}),
  }),
);

const app = createAdminApp({
  db,
  policy,
  keyring,
  mailDirectory: env.PARLEY_MAIL_DIR,
  ...(env.PARLEY_PUBLIC_URL ? { policyUrl: new URL('/privacy', env.PARLEY_PUBLIC_URL).href } : {}),
});

const server = serve({ fetch: app.fetch, hostname: env.ADMIN_HOST, port: env.ADMIN_PORT }, (info) => {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  console.log(`Parley admin console on http://${host}:${info.port}/admin`);
  if (!env.PARLEY_SESSION_KEYS)
    console.log('No PARLEY_SESSION_KEYS: staff sessions end when the console stops.');
  console.log(
    'Marketing email is off when the console runs alone: the chat server provides unsubscribe links.',
  );
});

const stop = () => {
  server.close(() => {
    void closeDatabase(db).then(() => process.exit(0));
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
