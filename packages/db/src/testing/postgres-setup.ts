import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { dropDatabases, migrateTemplate, seedTemplate } from './postgres.ts';
import { startTestPostgres } from './postgres-cluster.ts';

/**
 * vitest `globalSetup`: once per test run, a PostgreSQL server (see `postgres-cluster.ts`) and a template database
 * migrated from the committed migrations, and a copy of it seeded with the fixtures. Afterwards every database the run created is dropped and a throwaway
 * cluster is stopped and removed, so nothing is left behind on a server that stays up.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  // Runs of several packages, or several checkouts, may share one server: every name carries the run's own id.
  const run = `${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    const template = await migrateTemplate(server.url, run);
    const seeded = await seedTemplate(server.url, run, template);
    project.provide('parleyPostgres', { url: server.url, template, seeded, run });
  } catch (error) {
    await dropDatabases(server.url, run).finally(() => server.stop());
    throw error;
  }
  return async () => {
    await dropDatabases(server.url, run).finally(() => server.stop());
  };
}
