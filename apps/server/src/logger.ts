/** Where the server reports what it does. Messages never carry personal data: ids and counts only. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) =>
    console.error(message, error instanceof Error ? (error.stack ?? error.message) : ''),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
