import { performance } from 'node:perf_hooks';
import { checkpoint, createTag, createWebsite, defaultWebsiteSettings, type ParleyDb } from '@parley/db';
import { type ConversationDetails, insertConversations } from '@parley/db/bench';
import { createDepartment } from '@parley/db/chat';
import { type BenchAccount, createBenchAccounts } from './fill-database.ts';

/**
 * A store with a million messages in it, as a busy installation has after a while, for the benchmarks that measure
 * what a large store costs (the search, file uploads). Several accounts, each with thousands of closed conversations
 * started over the last year, a share of them answered by the owner, rated, tagged, in a department and from one of
 * two websites, so that every filter of the search has something to find. Messages are words drawn with Zipf's law
 * from a vocabulary of everyday support words followed by made-up ones: a few words are in most messages, most
 * words in a handful, as in real chat. The text is the same for the same options on every run.
 *
 * Rows are written in batches, each batch one transaction (`@parley/db/bench`): on SQLite a few hundred
 * conversations at a time, so that no transaction holds the whole million; on PostgreSQL multi-row inserts.
 */

export interface FillOptions {
  /** Messages in all, at least one conversation's worth per account (default 1,000,000). */
  messages?: number;
  /** Accounts sharing them (default 4). */
  accounts?: number;
  /** Messages per conversation, visitor and agent taking turns (default 20). */
  perConversation?: number;
  /** Conversations per transaction on SQLite (default 500). */
  batch?: number;
  log?: (line: string) => void;
}

/** One account of the filled store, with what its conversations can be filtered by. */
export interface FilledAccount extends BenchAccount {
  tagId: string;
  departmentIds: string[];
  websiteIds: string[];
}

export interface FilledStore {
  accounts: FilledAccount[];
  messages: number;
  conversations: number;
  /** How long writing the rows took, ms (accounts and their settings not included). */
  fillMs: number;
  /** Words to search for, with how many messages hold each. */
  words: { rare: WordCount[]; common: WordCount[] };
  /** When the conversations started: over the year before this moment. */
  now: number;
}

export interface WordCount {
  word: string;
  messages: number;
}

const YEAR = 365 * 86_400_000;

/** Everyday words of support chats, the most frequent first; made-up words follow them in the vocabulary. */
const COMMON_WORDS = [
  'the',
  'you',
  'to',
  'and',
  'i',
  'a',
  'my',
  'is',
  'it',
  'for',
  'order',
  'can',
  'please',
  'we',
  'thanks',
  'your',
  'delivery',
  'help',
  'hello',
  'not',
  'have',
  'when',
  'package',
  'refund',
  'account',
  'payment',
  'shipping',
  'will',
  'today',
  'yes',
  'no',
  'size',
  'invoice',
  'address',
  'return',
  'tracking',
  'number',
  'password',
  'email',
  'week',
];
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ran',
  'te',
  'vos',
  'qui',
  'bel',
  'dor',
  'sa',
  'nu',
  'fe',
  'gli',
  'zor',
  'pa',
  'wen',
];
/** Made-up words after the common ones: enough that the rarest are in a handful of a million messages. */
const MADE_UP_WORDS = 60_000;

/** A small fast generator of numbers in [0, 1), the same sequence for the same seed (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The vocabulary, and a draw from it by Zipf's law: the word of rank r comes up in proportion to 1/r. */
function vocabulary() {
  const words = [...COMMON_WORDS];
  for (let i = 0; words.length < COMMON_WORDS.length + MADE_UP_WORDS; i++) {
    let word = '';
    for (let n = i; word.length < 6 || n > 0; n = Math.floor(n / SYLLABLES.length))
      word += SYLLABLES[n % SYLLABLES.length];
    words.push(word);
  }
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let r = 0; r < words.length; r++) {
    total += 1 / (r + 1);
    cumulative[r] = total;
  }
  const draw = (next: () => number): number => {
    const target = next() * total;
    let low = 0;
    let high = words.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return { words, draw };
}

/**
 * Fills `db` (migrated, with nothing of these accounts in it) with `options.messages` messages, and returns what the
 * benchmarks need to know of it.
 */
export async function fillMillionMessages(db: ParleyDb, options: FillOptions = {}): Promise<FilledStore> {
  const messages = options.messages ?? 1_000_000;
  const perConversation = options.perConversation ?? 20;
  const accountCount = options.accounts ?? 4;
  const batch = options.batch ?? 500;
  const perAccount = Math.max(1, Math.round(messages / perConversation / accountCount));
  const now = Date.now();
  const accounts: FilledAccount[] = [];
  for (const account of await createBenchAccounts(db, accountCount, 'search')) {
    const departmentIds = [];
    for (const name of ['Sales', 'Support'])
      departmentIds.push((await createDepartment(db, { accountId: account.accountId, name })).id);
    const websiteIds = [];
    for (const name of ['Shop', 'Help centre'])
      websiteIds.push((await createWebsite(db, account.accountId, defaultWebsiteSettings(name))).id);
    const tagId = (await createTag(db, account.accountId, { name: 'Billing' })).id;
    accounts.push({ ...account, tagId, departmentIds, websiteIds });
  }

  const { words, draw } = vocabulary();
  // Rare words from far down the vocabulary, common ones from its top (past the shortest): both counted as drawn.
  const counted = new Map<number, number>();
  const rareRanks = Array.from({ length: 8 }, (_, i) => COMMON_WORDS.length + 30_000 + i * 3_000);
  const commonRanks = [10, 12, 16, 17, 22, 23, 25, 26];
  for (const rank of [...rareRanks, ...commonRanks]) counted.set(rank, 0);
  const body = (next: () => number) => {
    const length = 6 + Math.floor(next() * 11);
    const ranks = new Set<number>();
    for (let i = 0; i < length; i++) ranks.add(draw(next));
    for (const rank of ranks) if (counted.has(rank)) counted.set(rank, counted.get(rank)! + 1);
    return [...ranks].map((rank) => words[rank]).join(' ');
  };

  const started = performance.now();
  let written = 0;
  for (let first = 0; first < perAccount; first += batch) {
    const count = Math.min(batch, perAccount - first);
    for (const [a, account] of accounts.entries()) {
      const next = random(a * 1_000_003 + first);
      await insertConversations(db, {
        accountId: account.accountId,
        visitors: count,
        messagesPerVisitor: perConversation,
        closedAt: now,
        lastSeenAt: now,
        bodies: () => body(next),
        details: (): ConversationDetails => ({
          startedAt: now - Math.floor(next() * YEAR),
          agentId: next() < 0.6 ? account.agentId : null,
          rating: next() < 0.3 ? 1 + Math.floor(next() * 5) : null,
          tagId: next() < 0.05 ? account.tagId : null,
          departmentId: account.departmentIds[Math.floor(next() * 3)] ?? null,
          websiteId: account.websiteIds[Math.floor(next() * 2)] ?? null,
        }),
      });
      written += count * perConversation;
    }
    if (first % (batch * 10) === 0)
      options.log?.(
        `  ${written.toLocaleString('en')} messages (${Math.round((performance.now() - started) / 1000)} s)`,
      );
  }
  await checkpoint(db);
  const fillMs = performance.now() - started;
  const counts = (ranks: number[]) =>
    ranks.map((rank) => ({ word: words[rank]!, messages: counted.get(rank)! }));
  return {
    accounts,
    messages: written,
    conversations: perAccount * accountCount,
    fillMs,
    words: { rare: counts(rareRanks), common: counts(commonRanks) },
    now,
  };
}
