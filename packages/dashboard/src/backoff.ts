/** Reconnect delays: exponential from one second up to thirty, with jitter so a server restart is not stampeded. */
export const BACKOFF = { initialMs: 1_000, maxMs: 30_000 } as const;

/** Delay before reconnect attempt `attempt` (0 for the first retry); `random` in [0, 1). */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
