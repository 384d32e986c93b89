import { performance } from 'node:perf_hooks';
import { migrate, type ParleyDb, type SearchInput, searchConversations } from '@parley/db';
import { dropSearchIndex, rebuildSearchIndexes } from '@parley/db/bench';
import { createMessageWriter } from '@parley/db/chat';
import { percentile } from './latency-stats.ts';
import { type FilledAccount, type FilledStore, fillMillionMessages } from './million-messages.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { type Engine, openBenchStore } from './store-engines.ts';

/**
 * Full-text search on a store of 1,000,000 messages (`million-messages.ts`), on each engine of `SEARCH_ENGINES`
 * (`sqlite,postgres` by default); on PostgreSQL a database of its own in a cluster of its own, removed afterwards.
 *
 * Search: the latency of `searchConversations` (a page of 25, as the owner of one of the accounts, who may see all
 * of its conversations) for rare words (each in a few dozen of the million messages) and common ones (each in 3 to
 * 8 % of them, tens of thousands), each without filters and with one (a month, a rating, a tag, a department or an agent), and for
 * the filters alone; every query is run `SEARCH_ROUNDS` times (default 3), after one round to warm the caches.
 *
 * Writing: what the index adds to each message the server writes, through the server's own batched writer
 * (`createMessageWriter`), 100 messages a batch into existing conversations: the same messages with the index and
 * again after it is taken away (`dropSearchIndex`), medians of the batches. On PostgreSQL also the time the
 * retention sweep's rebuild of the index takes at this size (`REINDEX CONCURRENTLY`).
 */

const ENGINES = (process.env.SEARCH_ENGINES ?? 'sqlite,postgres').split(',').map((engine) => {
  if (engine !== 'sqlite' && engine !== 'postgres')
    throw new Error(`SEARCH_ENGINES: ${engine} is neither sqlite nor postgres`);
  return engine as Engine;
});
const ROUNDS = Number(process.env.SEARCH_ROUNDS ?? 3);
const MESSAGES = Number(process.env.SEARCH_MESSAGES ?? 1_000_000);
const PAGE = 25;
const WRITE_BATCHES = 100;
const WRITE_BATCH = 100;
const DAY = 86_400_000;
const LABEL: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

type Log = (line: string) => void;
type Query = Omit<SearchInput, 'accountId' | 'viewer' | 'limit'>;

const median = (values: number[]) => percentile(values, 50);

/** One filter each, in turn: the last month, the top rating, the tag, a department, the owner's chats. */
function filters(account: FilledAccount, now: number): Query[] {
  return [
    { from: now - 30 * DAY, to: now },
    { rating: 5 },
    { tagId: account.tagId },
    { departmentId: account.departmentIds[0]! },
    { agentId: account.agentId },
  ];
}

async function measureSearch(db: ParleyDb, filled: FilledStore, log: Log) {
  const account = filled.accounts[0]!;
  const search = (query: Query) =>
    searchConversations(db, {
      accountId: account.accountId,
      viewer: { agentId: account.agentId, allConversations: true },
      limit: PAGE,
      ...query,
    });
  const only = filters(account, filled.now);
  const withFilter = (words: string[]) => words.map((text, i) => ({ text, ...only[i % only.length]! }));
  const rare = filled.words.rare.map((w) => w.word);
  const common = filled.words.common.map((w) => w.word);
  const sets: Record<string, Query[]> = {
    'rare word': rare.map((text) => ({ text })),
    'rare word, one filter': withFilter(rare),
    'common word': common.map((text) => ({ text })),
    'common word, one filter': withFilter(common),
    'two common words': common.slice(0, 4).map((text, i) => ({ text: `${text} ${common[i + 4]}` })),
    'filters alone': only,
  };
  const times = new Map(Object.keys(sets).map((name) => [name, [] as number[]]));
  const found = new Map(Object.keys(sets).map((name) => [name, [] as number[]]));
  for (let round = 0; round <= ROUNDS; round++)
    for (const [name, queries] of Object.entries(sets))
      for (const query of queries) {
        const started = performance.now();
        const page = await search(query);
        const ms = performance.now() - started;
        // The first round warms the caches and is not counted.
        if (round === 0) found.get(name)!.push(page.items.length);
        else times.get(name)!.push(ms);
      }
  const rows = [...times].map(([name, ms]) => ({
    name,
    queries: sets[name]!.length,
    p50: median(ms),
    p95: percentile(ms, 95),
    max: Math.max(...ms),
    results: found.get(name)!,
  }));
  log(
    table(
      ['search (page of 25)', 'queries', 'p50 ms', 'p95 ms', 'max ms', 'results on the first page'],
      rows.map((r) => [r.name, r.queries, round(r.p50), round(r.p95), round(r.max), r.results.join(' ')]),
    ),
  );
  return rows;
}

/** Writes `WRITE_BATCHES` batches of `WRITE_BATCH` messages through the server's writer; each batch's ms. */
async function writeBatches(
  db: ParleyDb,
  account: FilledAccount,
  conversations: Array<{ id: string; visitorId: string }>,
  label: string,
) {
  const writer = createMessageWriter(db);
  const times: number[] = [];
  try {
    for (let b = 0; b < WRITE_BATCHES; b++) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WRITE_BATCH }, (_, i) => {
          const conversation = conversations[(b * WRITE_BATCH + i) % conversations.length]!;
          return writer.append({
            conversationId: conversation.id,
            accountId: account.accountId,
            visitorId: conversation.visitorId,
            author: 'agent',
            agentId: account.agentId,
            body: `Your refund for order ${b}-${i} is on its way; the tracking number follows by email today`,
            clientKey: `${label}_${b}_${i}`,
          });
        }),
      );
      times.push(performance.now() - started);
    }
  } finally {
    await writer.close();
  }
  return times;
}

async function measureWrites(engine: Engine, db: ParleyDb, filled: FilledStore, log: Log) {
  const account = filled.accounts[1]!;
  const page = await searchConversations(db, {
    accountId: account.accountId,
    viewer: { agentId: account.agentId, allConversations: true },
    limit: 100,
  });
  const conversations = page.items.map(({ conversation }) => ({
    id: conversation.id,
    visitorId: conversation.visitorId,
  }));
  let rebuildMs: number | null = null;
  if (engine === 'postgres') {
    const started = performance.now();
    await rebuildSearchIndexes(db);
    rebuildMs = performance.now() - started;
    log(`${LABEL[engine]}: REINDEX CONCURRENTLY of the search indexes: ${round(rebuildMs / 1000, 1)} s`);
  }
  const indexed = await writeBatches(db, account, conversations, 'indexed');
  await dropSearchIndex(db);
  const bare = await writeBatches(db, account, conversations, 'bare');
  const perMessage = (times: number[]) => (median(times) / WRITE_BATCH) * 1000;
  const result = {
    indexedUs: perMessage(indexed),
    bareUs: perMessage(bare),
    addedUs: perMessage(indexed) - perMessage(bare),
    rebuildMs,
  };
  log(
    `${LABEL[engine]}: a message written through the writer, batches of ${WRITE_BATCH} (median of ${WRITE_BATCHES}): ` +
      `${round(result.indexedUs)} µs with the search index, ${round(result.bareUs)} µs without: ` +
      `${round(result.addedUs)} µs added`,
  );
  return result;
}

async function measureEngine(engine: Engine, log: Log) {
  const store = await openBenchStore(engine, 'search');
  try {
    await migrate(store.db);
    log(`${LABEL[engine]}: filling ${MESSAGES.toLocaleString('en')} messages…`);
    const filled = await fillMillionMessages(store.db, { messages: MESSAGES, log });
    log(
      `${LABEL[engine]}: ${filled.messages.toLocaleString('en')} messages in ${filled.conversations.toLocaleString('en')} conversations of ${filled.accounts.length} accounts, written in ${round(filled.fillMs / 1000, 1)} s; ` +
        `rare words in ${filled.words.rare.map((w) => w.messages).join(', ')} messages, common ones in ${filled.words.common.map((w) => w.messages).join(', ')}`,
    );
    const search = await measureSearch(store.db, filled, log);
    const writes = await measureWrites(engine, store.db, filled, log);
    return { engine, fillMs: filled.fillMs, words: filled.words, search, writes };
  } finally {
    await store.close();
  }
}

type Measured = Awaited<ReturnType<typeof measureEngine>>;

function verdictsOf(measured: Measured): Verdict[] {
  const benchmark = `search (${LABEL[measured.engine]})`;
  return [
    {
      benchmark,
      metric: `fill ${MESSAGES.toLocaleString('en')} messages with the index`,
      value: `${round(measured.fillMs / 1000, 1)} s`,
      target: '—',
      met: null,
    },
    ...measured.search.map((row) => ({
      benchmark,
      metric: `${row.name}: p50 / p95`,
      value: `${round(row.p50)} / ${round(row.p95)} ms`,
      target: '—',
      met: null,
    })),
    {
      benchmark,
      metric: 'what the index adds to a message written',
      value: `${round(measured.writes.addedUs)} µs (${round(measured.writes.bareUs)} → ${round(measured.writes.indexedUs)} µs)`,
      target: '—',
      met: null,
    },
    ...(measured.writes.rebuildMs === null
      ? []
      : [
          {
            benchmark,
            metric: 'rebuild of the search indexes (the sweep after an erasure)',
            value: `${round(measured.writes.rebuildMs / 1000, 1)} s`,
            target: '—',
            met: null,
          },
        ]),
  ];
}

export async function runSearchBench(log: Log = console.log) {
  const finish = startResult('search');
  const verdicts: Verdict[] = [];
  const details: Record<string, unknown> = {};
  for (const engine of ENGINES) {
    const measured = await measureEngine(engine, log);
    verdicts.push(...verdictsOf(measured));
    details[engine] = measured;
  }
  return finish(verdicts, { ...details, rounds: ROUNDS, messages: MESSAGES });
}

if (isMain(import.meta.url)) await runSearchBench();
