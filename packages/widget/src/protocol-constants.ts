import type { CLOSE_CODES, LIMITS } from '@parley/protocol';

// Importing a value from `@parley/protocol` would bundle zod into the browser. These copies are typed with the
// protocol's `as const` literals, so the compiler fails if the two ever disagree.

export const MAX_MESSAGE_CHARS: (typeof LIMITS)['maxMessageChars'] = 4000;
/** The server refused the socket on policy grounds (wrong origin, opted out): reconnecting would not help. */
export const CLOSE_POLICY: (typeof CLOSE_CODES)['policy'] = 1008;
/** The chat is not available to this visitor (an agent blocked them): reconnecting would not help either. */
export const CLOSE_BLOCKED: (typeof CLOSE_CODES)['blocked'] = 4010;
