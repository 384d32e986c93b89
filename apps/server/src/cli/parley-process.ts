import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./parley.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** What a finished `parley` process left: its exit code and what it wrote. */
export interface ParleyOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * For tests: runs `parley <args>` as an operator does, in a process of its own, with this process's environment
 * except its store settings, and only the settings given; `stdin` is written to its standard input, then closed.
 */
export function parleyProcess(
  args: string[],
  settings: Record<string, string>,
  options: { stdin?: string } = {},
): Promise<ParleyOutcome> {
  const { DATABASE_URL: _, DATABASE_PATH: __, PARLEY_CONFIG: ___, ...env } = process.env;
  const running = run(tsx, [script, ...args], { env: { ...env, ...settings } });
  // What an operator would pipe in, e.g. a password for --password-stdin.
  if (options.stdin !== undefined) running.child.stdin?.end(options.stdin);
  return running.then(
    (result) => ({ code: 0, ...result }),
    (error: ParleyOutcome) => error,
  );
}

/** A progress line a command writes to standard error when that is not a terminal (see `progress.ts`). */
export interface ProgressLine {
  job: string;
  step?: string;
  unit: string;
  done: number;
  total?: number;
  elapsed_ms: number;
  eta_ms?: number;
}

/** What a command wrote to standard error, split into its progress lines and the rest, as text. */
export function splitProgress(stderr: string): { progress: ProgressLine[]; rest: string } {
  const progress: ProgressLine[] = [];
  const rest: string[] = [];
  for (const line of stderr.split('\n')) {
    if (line.startsWith('{"job":')) progress.push(JSON.parse(line) as ProgressLine);
    else rest.push(line);
  }
  return { progress, rest: rest.join('\n') };
}
