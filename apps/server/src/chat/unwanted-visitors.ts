import { blockNetwork } from '@parley/db/chat';
import { CLOSE_CODES } from '@parley/protocol';
import { truncateIp } from '../access-log/access-log.ts';
import { topics } from '../delivery/bus.ts';
import type { Services } from '../services.ts';

/**
 * SEC-1: how many new conversations one account may be asked for in a minute, counted on every node together. Past
 * it, a visitor whose message would start another gets a `busy` error and may try again shortly; conversations
 * already going on are not touched. Thirty a minute is far above what a team of agents answers, so only a flood of
 * new visitors (a script opening chats) reaches it.
 */
export const NEW_CONVERSATIONS_PER_MINUTE = 30;

const MINUTE_MS = 60_000;

/** Counts a conversation about to start for the account; false when the account's limit for this minute is reached. */
export function mayStartConversation(s: Services, accountId: string): Promise<boolean> {
  return s.windows.take(`new-conversations:${accountId}`, s.config.newConversationsPerMinute, MINUTE_MS);
}

/** The network a block holds for a client address (its /24 or /48), or null for none or one that is no IP address. */
export const clientNetwork = (address: string | undefined): string | null =>
  blockNetwork(truncateIp(address));

/** The reason a refused or closed visitor socket gives: nothing about why. */
export const NOT_AVAILABLE = 'chat is not available';

/**
 * Closes every open socket of a visitor just blocked, on every node; each first gives the block its network if it
 * has none. `topic` is the visitor's socket topic: their chat-id hash, or under a privacy signal their id.
 */
export function closeBlockedVisitor(
  s: Services,
  input: { accountId: string; topic: string; blockId: string },
): Promise<void> {
  return s.bus.publish(topics.chat(input.accountId, input.topic), {
    kind: 'disconnect',
    code: CLOSE_CODES.blocked,
    reason: NOT_AVAILABLE,
    blockId: input.blockId,
  });
}
