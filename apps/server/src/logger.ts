/**
 * Where the server reports what it does. Logs cannot be erased (standard output ends up in the operator's journal),
 * so they never carry personal data: ids and counts only (RET-4, LOG-1).
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * An error as the log may keep it: its class, its code and where it was thrown, never its message. A message can
 * carry whatever the failing code held (an SMTP relay's refusal names the recipient, a parser quotes its input).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${error === null ? 'null' : typeof error}`;
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [
    `${error.name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}`,
    ...frames,
  ].join('\n');
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error === undefined ? '' : describeError(error)),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
