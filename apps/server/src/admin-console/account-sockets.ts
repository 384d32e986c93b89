import { CLOSE_CODES } from '@parley/protocol';
import { type ServerBus, topics } from '../delivery/bus.ts';

/**
 * Closes every open socket of a suspended account, on every node: agents' dashboards end with the code that shows
 * them the sign-in page and why (their sessions are already deleted), and widgets drop with a code they reconnect
 * after, to be welcomed with no agent online, so they show the offline form.
 */
export async function closeSuspendedAccountSockets(bus: ServerBus, accountId: string): Promise<void> {
  await bus.publish(topics.agents(accountId), {
    kind: 'disconnect',
    code: CLOSE_CODES.accountSuspended,
    reason: 'account suspended',
  });
  await bus.publish(topics.visitors(accountId), {
    kind: 'disconnect',
    code: CLOSE_CODES.goingAway,
    reason: 'account suspended',
  });
}
