import { Writable } from 'node:stream';
import { pino } from 'pino';

/**
 * Where the server reports what it does. Logs cannot be erased (standard output ends up in the operator's journal),
 * so they never carry personal data: ids and counts only (RET-4, LOG-1).
 */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, error?: unknown, fields?: LogFields): void;
}

/** What a log line may add to its message: ids and counts, never what a person wrote or who they are. */
export type LogFields = Record<string, string | number | boolean>;

/** How much the log says: every line, warnings and errors, errors only, or nothing (PARLEY_LOG_LEVEL). */
export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

/** An error as the log keeps it: its class, its code and the frames it was thrown from. */
export interface ErrorRecord {
  type: string;
  code?: string | number;
  stack: string[];
}

/**
 * An error as the log may keep it: its class, its code and where it was thrown, never its message. A message can
 * carry whatever the failing code held (an SMTP relay's refusal names the recipient, a parser quotes its input).
 */
export function errorRecord(error: unknown): ErrorRecord {
  if (!(error instanceof Error))
    return { type: `a thrown ${error === null ? 'null' : typeof error}`, stack: [] };
  const code = (error as { code?: unknown }).code;
  const stack = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
  return typeof code === 'string' || typeof code === 'number'
    ? { type: error.name, code, stack }
    : { type: error.name, stack };
}

/** The same record as text, for a terminal: the class and code on the first line, a frame on each further one. */
export function describeError(error: unknown): string {
  const record = errorRecord(error);
  return [
    `${record.type}${record.code === undefined ? '' : ` [${record.code}]`}`,
    ...record.stack.map((frame) => `    ${frame}`),
  ].join('\n');
}

/**
 * One log line as a person reads it on a terminal: the message, its fields, and an error's class and frames below.
 * Anything that is not one of our JSON lines passes through unchanged.
 */
export function humanLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time: _time, msg, error, pid: _pid, hostname: _hostname, ...fields } = entry;
  const label = typeof level === 'string' && level !== 'info' ? `${level}: ` : '';
  const extra = Object.entries(fields).map(([name, value]) => `${name}=${String(value)}`);
  const text = `${label}${String(msg ?? '')}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
  return error === undefined ? text : `${text}\n${indentedError(error as ErrorRecord)}`;
}

function indentedError(record: ErrorRecord): string {
  const head = `  ${record.type}${record.code === undefined ? '' : ` [${record.code}]`}`;
  return [head, ...(record.stack ?? []).map((frame) => `      ${frame}`)].join('\n');
}

/** A stream that turns each JSON line written to it into `humanLine` text on `out`. */
function humanStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = String(chunk);
      for (const line of text.split('\n')) if (line !== '') out.write(`${humanLine(line)}\n`);
      done();
    },
  });
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where the lines go; standard output unless a test collects them. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Lines for a person (a terminal) rather than JSON; by default, when the destination is a terminal. */
  human?: boolean;
}

/**
 * The server's log: one JSON line per event on standard output (level, time, msg, and the event's ids and counts),
 * written by pino. On a terminal, the same lines as plain sentences, so that the first start's sign-in and setup
 * link read as text.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const human = options.human ?? destination.isTTY === true;
  const stream = human ? humanStream(destination) : destination;
  const base = pino(
    {
      level: options.level ?? 'info',
      // No pid and hostname: one process writes to one journal, which knows both.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return {
    info: (message, fields) => base.info(fields ?? {}, message),
    warn: (message, fields) => base.warn(fields ?? {}, message),
    error: (message, error, fields) =>
      base.error(error === undefined ? (fields ?? {}) : { ...fields, error: errorRecord(error) }, message),
  };
}

/** The log of a server started without one of its own: info and above on standard output. */
export const stdoutLogger: Logger = createLogger();

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
