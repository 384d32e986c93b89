import { performance } from 'node:perf_hooks';
import { migrate, type ParleyDb } from '@parley/db';
import { insertConversations } from '@parley/db/bench';
import { findOpenConversationId, storeFileMessage } from '@parley/db/chat';
import { type CheckedFile, checkFile } from '@parley/server';
import sharp from 'sharp';
import { percentile } from './latency-stats.ts';
import { fillMillionMessages } from './million-messages.ts';
import { isMain, round, startResult, type Verdict } from './report.ts';
import { type Engine, openBenchStore } from './store-engines.ts';

/**
 * What a file sent into a chat costs, and whether a large store makes it cost more. A photo as phones take them
 * (2,100 × 1,600 pixels of noise, so that JPEG cannot make it small: about 2 MB) goes through the server's checks
 * (`checkFile`: its kind found in its bytes, decoded, turned upright, encoded again without metadata, a thumbnail),
 * then into the store with the message that carries it (`storeFileMessage`: the account's quota summed and used
 * under a lock, in one transaction), on each engine of `UPLOAD_ENGINES`, into a store of 1,000 messages and into
 * one of `UPLOAD_MESSAGES` (1,000,000 by default, `million-messages.ts`). `UPLOAD_ROUNDS` uploads each (default 20).
 */

const ENGINES = (process.env.UPLOAD_ENGINES ?? 'sqlite,postgres').split(',').map((engine) => {
  if (engine !== 'sqlite' && engine !== 'postgres')
    throw new Error(`UPLOAD_ENGINES: ${engine} is neither sqlite nor postgres`);
  return engine as Engine;
});
const ROUNDS = Number(process.env.UPLOAD_ROUNDS ?? 20);
const LARGE = Number(process.env.UPLOAD_MESSAGES ?? 1_000_000);
const SIZES = [1_000, LARGE];
const LABEL: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const QUOTA = 1024 ** 3;

type Log = (line: string) => void;

/** A phone photo's worth of JPEG: random pixels, with a GPS position in its EXIF for the checks to drop. */
async function photo(): Promise<Buffer> {
  const width = 2100;
  const height = 1600;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    pixels[i] = seed >> 16;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 12/1 30/1' } })
    .toBuffer();
}

async function timeChecks(bytes: Buffer): Promise<{ checked: CheckedFile; times: number[] }> {
  const times: number[] = [];
  let checked: CheckedFile | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    checked = await checkFile(bytes, { name: 'IMG_2041.jpg', allowed: ['image'], maxBytes: 10 * 1024 ** 2 });
    times.push(performance.now() - started);
  }
  return { checked: checked!, times };
}

/** Stores `checked` `ROUNDS` times into an open conversation of the store's first account; times in ms. */
async function timeStores(
  db: ParleyDb,
  accountId: string,
  checked: CheckedFile,
  tag: string,
): Promise<number[]> {
  const [visitorId] = await insertConversations(db, {
    accountId,
    visitors: 1,
    messagesPerVisitor: 2,
    closedAt: null,
    lastSeenAt: Date.now(),
  });
  const conversationId = await findOpenConversationId(db, accountId, visitorId!);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await storeFileMessage(db, {
      accountId,
      conversationId: conversationId!,
      author: 'visitor',
      clientKey: `upload_${tag}_${i}_key`,
      name: checked.name,
      contentType: checked.contentType,
      bytes: checked.bytes,
      thumbnail: checked.thumbnail,
      width: checked.width,
      height: checked.height,
      quotaBytes: QUOTA,
    });
    times.push(performance.now() - started);
  }
  return times;
}

async function measureEngine(engine: Engine, checked: CheckedFile, log: Log) {
  const rows: Array<{ messages: number; p50: number; p95: number; fillMs: number }> = [];
  for (const messages of SIZES) {
    const store = await openBenchStore(engine, 'upload');
    try {
      await migrate(store.db);
      const filled = await fillMillionMessages(store.db, { messages, accounts: 4 });
      const times = await timeStores(
        store.db,
        filled.accounts[0]!.accountId,
        checked,
        `${engine}_${messages}`,
      );
      const row = { messages, p50: percentile(times, 50), p95: percentile(times, 95), fillMs: filled.fillMs };
      log(
        `${LABEL[engine]}, ${messages.toLocaleString('en')} messages (filled in ${round(filled.fillMs / 1000, 1)} s): ` +
          `storing the file and its message p50 ${round(row.p50)} ms, p95 ${round(row.p95)} ms`,
      );
      rows.push(row);
    } finally {
      await store.close();
    }
  }
  return rows;
}

export async function runUploadBench(log: Log = console.log) {
  const finish = startResult('upload');
  const original = await photo();
  const { checked, times } = await timeChecks(original);
  const checks = { p50: percentile(times, 50), p95: percentile(times, 95) };
  log(
    `A ${round(original.length / 1024 ** 2, 2)} MiB JPEG checked and encoded again (${round(checked.bytes.length / 1024 ** 2, 2)} MiB, ` +
      `thumbnail ${round((checked.thumbnail?.length ?? 0) / 1024, 1)} KiB): p50 ${round(checks.p50)} ms, p95 ${round(checks.p95)} ms`,
  );
  const verdicts: Verdict[] = [
    {
      benchmark: 'upload',
      metric: `checking and encoding again a ${round(original.length / 1024 ** 2, 1)} MiB JPEG: p50 / p95`,
      value: `${round(checks.p50)} / ${round(checks.p95)} ms`,
      target: '—',
      met: null,
    },
  ];
  const details: Record<string, unknown> = { checks, originalBytes: original.length, rounds: ROUNDS };
  for (const engine of ENGINES) {
    const rows = await measureEngine(engine, checked, log);
    details[engine] = rows;
    for (const row of rows)
      verdicts.push({
        benchmark: `upload (${LABEL[engine]})`,
        metric: `storing it with its message, ${row.messages.toLocaleString('en')} messages in the store: p50 / p95`,
        value: `${round(row.p50)} / ${round(row.p95)} ms`,
        target: '—',
        met: null,
      });
  }
  return finish(verdicts, details);
}

if (isMain(import.meta.url)) await runUploadBench();
