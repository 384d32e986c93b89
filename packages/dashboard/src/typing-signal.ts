/**
 * Turns keystrokes into typing frames: `true` on the first keystroke, `false` after a pause or when the agent sends,
 * leaves or blurs, so the visitor sees "typing" only while the agent really is.
 */
export interface TypingSignal {
  /** The agent typed (or deleted) something. */
  input(): void;
  /** The agent sent, left the conversation or the reply box: stop now if typing. */
  stop(): void;
}

export interface TypingTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: TypingTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const TYPING_IDLE_MS = 3_000;

export function createTypingSignal(
  send: (typing: boolean) => void,
  idleMs: number = TYPING_IDLE_MS,
  timers: TypingTimers = browserTimers,
): TypingSignal {
  let typing = false;
  let timer: unknown = null;
  const stop = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
    if (typing) {
      typing = false;
      send(false);
    }
  };
  return {
    input() {
      if (!typing) {
        typing = true;
        send(true);
      }
      if (timer !== null) timers.clear(timer);
      timer = timers.set(stop, idleMs);
    },
    stop,
  };
}
