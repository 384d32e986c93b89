import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ensurePostgresBinaries, startThrowawayCluster } from './postgres-cluster.ts';

describe('the PostgreSQL server of a test run', () => {
  it('without the binaries and without root, stops with one line saying what to install', () => {
    expect(() => ensurePostgresBinaries(null, false)).toThrow(
      /^Database tests need PostgreSQL: install it \(Debian: sudo apt-get install -y postgresql\) or set PARLEY_TEST_DATABASE_URL\.$/,
    );
  });

  it('a throwaway cluster answers on its own port, and stop() leaves no server and no folder behind', async () => {
    const cluster = await startThrowawayCluster();
    const url = new URL(cluster.url);
    expect(Number(url.port)).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const { rows } = await client.query<{ directory: string; fsync: string }>(
      "SELECT current_setting('data_directory') AS directory, current_setting('fsync') AS fsync",
    );
    await client.end();
    const directory = rows[0]?.directory ?? '';
    expect(existsSync(directory)).toBe(true);
    expect(rows[0]?.fsync).toBe('off');

    await cluster.stop();
    expect(existsSync(directory)).toBe(false);
    expect(existsSync(dirname(directory))).toBe(false);
    await expect(
      new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2_000 }).connect(),
    ).rejects.toThrow();
  });
});
