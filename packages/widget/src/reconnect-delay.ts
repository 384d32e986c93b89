export const RECONNECT = { firstMs: 500, capMs: 10_000 } as const;

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): the step doubles from 0.5 s up to 10 s,
 * and the wait falls at random in the upper half of the step ("equal jitter"), so that after a server restart the
 * visitors spread out instead of reconnecting in one wave, yet no visitor retries in a tight loop.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(RECONNECT.capMs, RECONNECT.firstMs * 2 ** Math.min(Math.max(attempt, 0), 20));
  return Math.round(step / 2 + (step / 2) * random());
}
