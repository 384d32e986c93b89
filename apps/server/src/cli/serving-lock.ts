import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * The pid file `parley serve` keeps beside an SQLite database while it serves it (`<db>.serving`), so that
 * `parley restore` can refuse to replace the file under a running installation. It is a hint, not a lock the
 * kernel keeps: a server that was killed leaves it behind, so a file whose pid is no longer alive counts as free.
 */
export const servingLockOf = (database: string): string => `${database}.serving`;

/** True while the process `pid` exists (EPERM: it exists, but is another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process serving `database`, or null when none is. */
export function servingPid(database: string): number | null {
  let text: string;
  try {
    text = readFileSync(servingLockOf(database), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/**
 * Marks `database` as served by this process until it exits. Another live server of the same file keeps its mark
 * (several processes may serve one SQLite file); the mark goes when the last one that wrote it exits.
 */
export function holdServingLock(database: string): void {
  const lock = servingLockOf(database);
  if (servingPid(database) !== null) return;
  writeFileSync(lock, `${process.pid}\n`, { mode: 0o644 });
  process.once('exit', () => {
    // Only our own mark: a server started after us may have taken it over.
    if (servingPid(database) === process.pid) rmSync(lock, { force: true });
  });
}
