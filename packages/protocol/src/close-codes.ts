/**
 * WebSocket close codes Parley uses beyond the standard ones. Kept apart from the frame schemas so that browser
 * bundles can import them without zod.
 */
export const CLOSE_CODES = {
  /** 1001: the server is shutting down; reconnect later. */
  goingAway: 1001,
  /** 1008: policy violation: not signed in, wrong origin, or opted out. */
  policy: 1008,
  /** 1009: a frame was larger than `LIMITS.maxFrameBytes`. */
  tooLarge: 1009,
  /** 4000: the client stopped reading and its buffer passed the limit. */
  slowConsumer: 4000,
  /** 4001: too many frames; the rate limit was exceeded repeatedly. */
  flood: 4001,
  /** 4002: the agent's sign-in reached the end of its lifetime; sign in again. */
  sessionExpired: 4002,
  /** 4003: this sign-in was signed out (in this tab or another); sign in again. */
  signedOut: 4003,
  /** 4004: the agent was removed from the account; their sign-ins are over. */
  agentRemoved: 4004,
  /** 4005: the agent's password changed, which ends every sign-in made with the old one. */
  passwordChanged: 4005,
  /** 4006: the agent's role changed; reconnect at once to work with the new rights. */
  rightsChanged: 4006,
  /** 4007: the account was closed, which ends every sign-in of its agents. */
  accountClosed: 4007,
  /** 4008: the installation's operator suspended the account, which ends every sign-in of its agents. */
  accountSuspended: 4008,
  /**
   * 4009: the server could not send what this socket missed while its live state was interrupted; reconnect, and
   * resume from the last message held.
   */
  resume: 4009,
  /**
   * 4010: the chat is not available to this visitor (an agent blocked them). Says nothing more, so that it tells an
   * unwanted visitor nothing to work around; the widget shows that chat is not available and does not reconnect.
   */
  blocked: 4010,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** The codes that mean "this sign-in is over": a dashboard shows its sign-in page instead of reconnecting. */
export const SESSION_END_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.sessionExpired,
  CLOSE_CODES.signedOut,
  CLOSE_CODES.agentRemoved,
  CLOSE_CODES.passwordChanged,
  CLOSE_CODES.accountClosed,
  CLOSE_CODES.accountSuspended,
]);

export const endsSession = (code: number): boolean => SESSION_END_CODES.has(code);
