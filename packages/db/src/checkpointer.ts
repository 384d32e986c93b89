import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { sqliteDriverFiles } from './sqlite-driver.ts';

/**
 * The production bundle cannot carry better-sqlite3 (a native addon); its build defines this as the driver's path
 * relative to the bundle. Unbundled, the driver is resolved from this package.
 */
declare const __PARLEY_SQLITE_DRIVER__: string | undefined;

function sqliteDriverPath(): string {
  const files = sqliteDriverFiles();
  if (files) return files.driver;
  if (typeof __PARLEY_SQLITE_DRIVER__ === 'string')
    return fileURLToPath(new URL(__PARLEY_SQLITE_DRIVER__, import.meta.url));
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

/** What one checkpoint did, in WAL frames (pages). */
export interface CheckpointReport {
  /** Frames in the WAL when it ran. */
  walFrames: number;
  /** Of those, frames now copied into the database file. */
  checkpointed: number;
}

export interface CheckpointerOptions {
  /** How often the worker checkpoints while the WAL is growing. */
  intervalMs?: number;
  /** How long the worker may sleep at most while nothing is written. */
  idleIntervalMs?: number;
  /** Past this many frames, the server's own connection checkpoints what is left, and the WAL starts again. */
  maxWalFrames?: number;
  onCheckpoint?: (report: CheckpointReport) => void;
  onError?: (error: Error) => void;
}

/**
 * The checkpoint the server's connection takes at this mark syncs the WAL and the database file, which took 25–50
 * ms on a test VM: that stall is what chat latency feels, so it should come rarely. 262,144 pages (1 GiB) last
 * about 15 s at 6,000 messages a second; at any ordinary rate the WAL empties between messages and stays small.
 * When the WAL starts again its file keeps its size (see `walFileLimit`).
 */
const MAX_WAL_FRAMES = 262_144;

/** SQLite's WAL file: a 32-byte header, then each page behind a 24-byte frame header of its own. */
const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;

/**
 * The `journal_size_limit` for a WAL that starts again at `maxWalFrames`. SQLite cuts the file back to the limit
 * when the WAL starts again, inside a commit on the event loop, and the more it cuts the longer every message waits
 * (on a test VM: 3 ms to cut 6 MB off a 1 GiB file, 300 ms to cut all of it). At the mark the file holds
 * `maxWalFrames` frames and whatever the commit that crossed it added, so twice the mark is never reached in
 * practice: the file keeps its size and is written over, and only a WAL that some enormous transaction blew up is
 * cut back.
 */
export function walFileLimit(maxWalFrames: number, pageSize: number): number {
  return WAL_HEADER_BYTES + 2 * maxWalFrames * (pageSize + WAL_FRAME_HEADER_BYTES);
}

export interface Checkpointer {
  /** Stops the worker after its current checkpoint and closes its connection. */
  stop(): Promise<void>;
}

// Plain CommonJS, run with `eval` in the worker, so that the bundle needs no second entry point.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, nativeBinding: workerData.addon });
db.pragma('busy_timeout = 5000');
let last = '';
let delay = workerData.intervalMs;
let timer;
const tick = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    const report = { walFrames: result.log, checkpointed: result.checkpointed };
    const key = JSON.stringify(report);
    // An idle WAL gives the same answer every time: only news is sent, and the worker wakes less and less often
    // (up to idleIntervalMs) until there is news again.
    const news = key !== last;
    if (result.log > 0 && news) parentPort.postMessage(report);
    last = key;
    delay = news ? workerData.intervalMs : Math.min(delay * 2, workerData.idleIntervalMs);
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
  timer = setTimeout(tick, delay);
};
timer = setTimeout(tick, delay);
parentPort.once('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses
 * its threshold (1,000 pages by default), copying pages and syncing files there, which stalled chat for tens of
 * milliseconds about once a second under load. Here a worker thread with its own connection checkpoints every
 * `intervalMs` without blocking writers (PASSIVE), and less often while nothing is written.
 *
 * Under steady writes that alone would let the WAL grow without end: it starts again from empty only when a writer
 * finds it wholly copied, and by the time a checkpoint ends, new frames are there. So the server's connection keeps
 * SQLite's own checkpoint, at `maxWalFrames`: by then the worker has copied nearly everything, the commit that
 * crosses the mark copies the rest and syncs, and the next one starts the WAL again. (A checkpoint from the worker
 * that waited for writers instead, RESTART, made the server's read-then-write transactions fail with SQLITE_BUSY
 * while it held the write lock.)
 */
export function startCheckpointer(db: ParleyDb, options: CheckpointerOptions = {}): Checkpointer {
  if (sqliteOf(db).memory) throw new Error('an in-memory database has no WAL to checkpoint');
  const maxWalFrames = options.maxWalFrames ?? MAX_WAL_FRAMES;
  sqliteOf(db).pragma(`wal_autocheckpoint = ${maxWalFrames}`);
  const pageSize = sqliteOf(db).pragma('page_size', { simple: true }) as number;
  sqliteOf(db).pragma(`journal_size_limit = ${walFileLimit(maxWalFrames, pageSize)}`);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: sqliteDriverPath(),
      // A self-contained build names the addon; otherwise the driver finds its own (undefined).
      addon: sqliteDriverFiles()?.addon,
      path: db.path,
      intervalMs: options.intervalMs ?? 200,
      idleIntervalMs: options.idleIntervalMs ?? 1_000,
    },
  });
  worker.unref();
  worker.on('message', (message: CheckpointReport | { error: string }) => {
    if ('error' in message) options.onError?.(new Error(`WAL checkpoint failed: ${message.error}`));
    else options.onCheckpoint?.(message);
  });
  worker.on('error', (error) => options.onError?.(error));
  let stopping: Promise<void> | null = null;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      // Back to SQLite's own checkpoints, for whoever uses the connection after, or if the worker died: the WAL
      // must never grow without bound.
      if (sqliteOf(db).open) sqliteOf(db).pragma('wal_autocheckpoint = 1000');
      if (!stopping)
        options.onError?.(new Error('the WAL checkpoint worker stopped; SQLite checkpoints again'));
      resolve();
    }),
  );
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
