/**
 * A start-up failure an operator can fix: its message is one line naming the setting, the value and what to do.
 * `main` prints it as it is, without a stack, and exits.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Why a listener could not start, in terms of the settings that chose its address. */
export function listenFailure(
  error: unknown,
  settings: { host: string; port: number; hostSetting: string; portSetting: string },
): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const { host, port, hostSetting, portSetting } = settings;
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        `${portSetting}=${port}: ${host}:${port} is already in use; stop what listens there or set ${portSetting} to a free port`,
      );
    case 'EACCES':
      return new StartupError(
        `${portSetting}=${port}: this user may not listen on port ${port}; set ${portSetting} to a port above 1023`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `${hostSetting}=${host} is not an address of this machine; set ${hostSetting} to one of its addresses, 127.0.0.1 or 0.0.0.0`,
      );
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
