import { CLOSE_CODES } from '@parley/protocol';
import { topics } from '../delivery/bus.ts';
import type { Services } from '../services.ts';

/**
 * After an account is closed (by its owner, or the demo account by staff in the console): every open socket of it
 * closes, on every node. Agents' dashboards show the sign-in page saying why; visitors' widgets close as for any
 * refused chat.
 */
export async function disconnectAccount(s: Services, accountId: string): Promise<void> {
  await s.bus.publish(topics.agents(accountId), {
    kind: 'disconnect',
    code: CLOSE_CODES.accountClosed,
    reason: 'account closed',
  });
  await s.bus.publish(topics.visitors(accountId), {
    kind: 'disconnect',
    code: CLOSE_CODES.policy,
    reason: 'account closed',
  });
}
