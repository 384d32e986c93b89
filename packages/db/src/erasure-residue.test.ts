import { randomBytes } from 'node:crypto';
import { contentInForce, forStoreEngine, parleyPolicy } from '@parley/policy';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, migrate, openStore, type ParleyDb } from './connection.ts';
import { eraseVisitor, exportVisitor } from './erase-visitor.ts';
import { sweepRetention } from './retention.ts';
import { searchConversations } from './search/search.ts';
import { countRows, FIXTURE, FIXTURE_NOW, insertRows, occurrences, testDialect } from './testing/index.ts';
import { databaseUrl } from './testing/postgres.ts';
import { startThrowawayCluster, type ThrowawayCluster } from './testing/postgres-cluster.ts';
import { seedFixtures } from './testing/seed.ts';

/**
 * RET-4 on PostgreSQL: what an erasure leaves in the server's files, measured rather than assumed. The policy's
 * PostgreSQL text says what may linger (dead row versions in the tables' pages, the WAL); this test checks what
 * Parley promises (the rows are gone from every query) and that the search would find the data where it lingers,
 * and prints which files still hold a visitor's data after each step, so that the text can be checked against it.
 * It needs a cluster of its own: it reads the data directory and forces checkpoints, which only a superuser may.
 */

const DATABASE = 'parley_residue';
const acme = FIXTURE.accounts.acme.id;
/** A string nothing else holds, in the visitor's name, email and messages. */
const marker = `residue${randomBytes(8).toString('hex')}`;
const visitorId = 'vis_residue';
const conversationId = 'cnv_residue';

describe.skipIf(testDialect() !== 'postgres')(
  "RET-4: what an erasure leaves in PostgreSQL's files (on a cluster of the test's own)",
  () => {
    let cluster: ThrowawayCluster;
    let db: ParleyDb;

    /** Runs `statement` as the cluster's superuser, in the store's database unless `database` says otherwise. */
    async function superuser<R extends pg.QueryResultRow>(
      statement: string,
      database = DATABASE,
    ): Promise<R[]> {
      const client = new pg.Client({ connectionString: databaseUrl(cluster.url, database) });
      await client.connect();
      try {
        return (await client.query<R>(statement)).rows;
      } finally {
        await client.end();
      }
    }

    /**
     * The files that hold the visitor's data once a checkpoint has written every changed page out, with the
     * relation each belongs to (its main fork, free space map, visibility map or a further segment); printed.
     */
    async function afterCheckpoint(step: string): Promise<Record<string, number>> {
      await superuser('CHECKPOINT');
      const relations = new Map(
        (
          await superuser<{ path: string; relation: string }>(
            `SELECT pg_relation_filepath(c.oid) AS path, n.nspname || '.' || c.relname AS relation
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE pg_relation_filepath(c.oid) IS NOT NULL`,
          )
        ).map((r) => [r.path, r.relation]),
      );
      const found: Record<string, number> = {};
      for (const [path, n] of occurrences(cluster.dataDirectory, marker)) {
        const relation = relations.get(path.replace(/(_fsm|_vm|_init)?(\.\d+)?$/, ''));
        found[relation ? `${path} (${relation})` : path] = n;
      }
      console.info(`RET-4 residue on PostgreSQL, ${step}:`, found);
      return found;
    }
    /** The files among `found` that belong to a database's tables and indexes, rather than to the WAL. */
    const inTables = (found: Record<string, number>) =>
      Object.keys(found).filter((file) => file.startsWith('base/'));
    /** The relations among `found` that are the full-text search's indexes. */
    const inSearchIndexes = (found: Record<string, number>) =>
      inTables(found).flatMap((file) => file.match(/\((public\.(?:messages|notes)_search)\)$/)?.[1] ?? []);
    /** What a search for the marker finds in Acme's conversations. */
    const searchMarker = async () =>
      (
        await searchConversations(db, {
          accountId: acme,
          viewer: { agentId: FIXTURE.agents.acmeOwner.id, allConversations: true },
          text: marker,
          limit: 10,
        })
      ).items.map((hit) => hit.conversation.id);

    beforeAll(async () => {
      // A throwaway cluster skips full-page images for speed; a production server writes them into the WAL, and
      // they too are copies of the rows.
      cluster = await startThrowawayCluster({ settings: { full_page_writes: 'on' } });
      await superuser(`CREATE DATABASE ${DATABASE}`, 'postgres');
      db = openStore(databaseUrl(cluster.url, DATABASE), { poolSize: 2 });
      await migrate(db);
      await seedFixtures(db);
    }, 120_000);
    afterAll(async () => {
      if (db) await closeDatabase(db);
      await cluster?.stop();
    });

    it('RET-4: erased rows are gone from every query; their old versions last in the files until new rows take the vacuumed space, or VACUUM FULL rewrites the tables', async () => {
      await insertRows(db, 'visitors', [
        {
          id: visitorId,
          accountId: acme,
          chatIdHash: `hash_${marker}`,
          persistent: true,
          name: `Name ${marker}`,
          email: `${marker}@example.org`,
          createdAt: FIXTURE_NOW,
          lastSeenAt: FIXTURE_NOW,
        },
      ]);
      await insertRows(db, 'conversations', [
        {
          id: conversationId,
          accountId: acme,
          visitorId,
          status: 'closed',
          startedAt: FIXTURE_NOW,
          closedAt: FIXTURE_NOW,
        },
      ]);
      // The last message is long enough to be stored out of line (TOAST) and random enough not to be compressed.
      const bodies = [
        `Hello, ${marker} here`,
        `My order number is ${marker}`,
        `${randomBytes(2_000).toString('hex')} ${marker}`,
      ];
      await insertRows(
        db,
        'messages',
        bodies.map((body, i) => ({
          id: `msg_residue_${i}`,
          conversationId,
          accountId: acme,
          visitorId,
          author: 'visitor' as const,
          body,
          clientKey: `key_residue_${i}`,
          createdAt: FIXTURE_NOW + i,
        })),
      );

      // A file she sent: its bytes are kept uncompressed out of line (TOAST), where the marker is findable.
      const fileBytes = (text: string) =>
        Buffer.concat([randomBytes(32_000), Buffer.from(text), randomBytes(32_000)]);
      await insertRows(db, 'messages', [
        {
          id: 'msg_residue_file',
          conversationId,
          accountId: acme,
          visitorId,
          author: 'visitor' as const,
          body: 'scan.pdf',
          clientKey: 'key_residue_file',
          createdAt: FIXTURE_NOW + 10,
        },
      ]);
      await insertRows(db, 'files', [
        {
          id: 'fil_residue',
          messageId: 'msg_residue_file',
          conversationId,
          accountId: acme,
          visitorId,
          author: 'visitor' as const,
          name: 'scan.pdf',
          contentType: 'application/pdf',
          size: 64_000 + marker.length,
          createdAt: FIXTURE_NOW + 10,
          bytes: fileBytes(`%PDF ${marker}`),
        },
      ]);
      const toastOf = async (table: string) =>
        (
          await superuser<{ toast: string }>(
            `SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE relname = '${table}'`,
          )
        )[0]?.toast;
      const messagesToast = await toastOf('messages');
      const filesToast = await toastOf('files');

      const stored = await afterCheckpoint('stored');
      // The search finds the data where it is: otherwise finding nothing later would prove nothing.
      for (const table of ['public.messages', 'public.visitors', filesToast])
        expect(inTables(stored).some((file) => file.endsWith(`(${table})`))).toBe(true);
      expect(inSearchIndexes(stored)).toEqual(['public.messages_search']);
      expect(await searchMarker()).toEqual([conversationId]);

      const { counts } = await eraseVisitor(db, {
        accountId: acme,
        visitorId,
        reason: 'request',
        actor: { kind: 'system' },
      });
      expect(counts).toMatchObject({ messages: 4, files: 1, conversations: 1, visitors: 1 });
      // What Parley promises: nothing of the visitor can be read through the store any more.
      expect(Object.values(await exportVisitor(db, { accountId: acme, visitorId })).flat()).toEqual([]);
      expect(await countRows(db, 'visitors', { id: visitorId })).toBe(0);
      expect(await countRows(db, 'messages', { visitorId })).toBe(0);
      expect(await searchMarker()).toEqual([]);
      const erased = await afterCheckpoint('erased (deleted and vacuumed)');
      // The GIN index of the search keeps the erased word as a key after VACUUM has emptied its list of rows: no
      // search finds it, but it is in the index's file until the index is rebuilt, as the policy's PostgreSQL text
      // for RET-4 says. The retention sweep rebuilds it when a visitor was erased since it last did.
      expect(inSearchIndexes(erased)).toEqual(['public.messages_search']);
      const policy = forStoreEngine(contentInForce(parleyPolicy), 'postgres');
      const swept = await sweepRetention(db, policy, { now: FIXTURE_NOW });
      expect(swept?.searchIndexRebuilt).toBe(true);
      expect(
        inSearchIndexes(await afterCheckpoint('after the retention sweep rebuilt the search indexes')),
      ).toEqual([]);

      // New chat takes the space the erasure's VACUUM marked free; without it, the old versions would stay.
      await insertRows(
        db,
        'messages',
        Array.from({ length: 200 }, (_, i) => ({
          id: `msg_after_${i}`,
          conversationId: FIXTURE.conversations.benActive,
          accountId: acme,
          visitorId: FIXTURE.visitors.ben.id,
          author: 'visitor' as const,
          body: `A later message, number ${i}, about tulips and their bulbs`,
          clientKey: `key_after_${i}`,
          createdAt: FIXTURE_NOW + 1_000 + i,
        })),
      );
      // And a new file of the same size takes the space the erased file's bytes had.
      await insertRows(db, 'messages', [
        {
          id: 'msg_after_file',
          conversationId: FIXTURE.conversations.benActive,
          accountId: acme,
          visitorId: FIXTURE.visitors.ben.id,
          author: 'visitor' as const,
          body: 'later.pdf',
          clientKey: 'key_after_file',
          createdAt: FIXTURE_NOW + 2_000,
        },
      ]);
      await insertRows(db, 'files', [
        {
          id: 'fil_after',
          messageId: 'msg_after_file',
          conversationId: FIXTURE.conversations.benActive,
          accountId: acme,
          visitorId: FIXTURE.visitors.ben.id,
          author: 'visitor' as const,
          name: 'later.pdf',
          contentType: 'application/pdf',
          size: 64_000 + marker.length,
          createdAt: FIXTURE_NOW + 2_000,
          bytes: fileBytes(`%PDF ${'x'.repeat(marker.length)}`),
        },
      ]);
      const reused = await afterCheckpoint('after 200 new messages and a new file');
      const reusedTables = ['public.messages', 'public.files', messagesToast, filesToast];
      expect(
        inTables(reused).filter((file) => reusedTables.some((table) => file.endsWith(`(${table})`))),
      ).toEqual([]);

      // The segments that hold the rows are finished and then recycled: renamed for reuse, not emptied.
      for (let segment = 0; segment < 2; segment++) {
        await superuser('SELECT pg_switch_wal()');
        await superuser('CHECKPOINT');
        await superuser(`CREATE TABLE wal_${segment} AS SELECT 1 AS n`);
      }
      await afterCheckpoint('after the WAL moved on two segments, each followed by a checkpoint');

      // Rewriting the tables is the administrator's step, not Parley's: it locks them against chat while it runs.
      await superuser(`VACUUM FULL ${Object.keys(counts).join(', ')}`);
      expect(inTables(await afterCheckpoint('after VACUUM FULL of the erased tables'))).toEqual([]);
    }, 120_000);
  },
);
