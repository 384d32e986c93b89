import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** The fields of /proc/<pid>/stat after the command name, which may contain spaces; field 3 (state) is [0]. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/** User + system CPU time a process has used so far, in milliseconds, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  const fields = statFields(pid);
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/**
 * CPU time, in milliseconds, of a process and every process below it: its own, what its children that have ended
 * used (the kernel adds that to the parent once it has reaped them), and the same for each living descendant. For a
 * PostgreSQL postmaster this is the whole server: connections' backends, background writer, WAL writer,
 * checkpointer, autovacuum workers, including those that came and went.
 */
export function treeCpuMsOf(rootPid: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fields: string[];
    try {
      fields = statFields(Number(entry));
    } catch {
      continue; // Ended while the list was read: its time is now its parent's.
    }
    const pid = Number(entry);
    const parent = Number(fields[1]);
    ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  if (!ticks.has(rootPid)) throw new Error(`no process ${rootPid}`);
  let total = 0;
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    total += ticks.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return ticksToMs(total);
}

/** This process's CPU time in milliseconds. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
export const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;
