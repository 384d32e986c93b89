import { accountRoutesChats, listAgents, listQueue, routeConversation, routeQueue } from '@parley/db/chat';
import type { Services } from '../services.ts';
import { publishConversation, publishStatusToVisitor, toVisitor } from './notify.ts';

// Routing as the server runs it: which agents are available comes from the shared presence (every node sees the
// same), the store gives each chat to one of them by an atomic claim, and everyone concerned hears the outcome. None
// of it runs per chat message: only when a chat starts, or when something frees a place in the queue. An account
// without departments does not route (`accountRoutesChats`): its chats wait for the first agent who answers.

/** The account's agents available to take chats now, on any node: chose "online" and have a dashboard open. */
async function availableAgents(s: Services, accountId: string): Promise<string[]> {
  const agents = await listAgents(s.db, accountId);
  const online = await Promise.all(agents.map((agent) => s.presence.isOnline(accountId, agent.id)));
  return agents.filter((_, i) => online[i]).map((agent) => agent.id);
}

/** Agents see the chat taken, and its visitor who joined them. */
async function announceTaken(s: Services, accountId: string, conversationId: string): Promise<void> {
  const conversation = await publishConversation(s, accountId, conversationId);
  if (conversation) await publishStatusToVisitor(s, conversation);
}

/** Every waiting visitor of an account that routes its chats hears their place in the queue. */
export async function publishQueue(s: Services, accountId: string): Promise<void> {
  if (await accountRoutesChats(s.db, accountId)) await publishPlaces(s, accountId);
}

async function publishPlaces(s: Services, accountId: string): Promise<void> {
  for (const place of await listQueue(s.db, accountId))
    await toVisitor(
      s,
      { accountId, chatIdHash: place.chatIdHash },
      { type: 'queue', position: place.position },
    );
}

/**
 * A chat started (or a resend of its first message arrived, whose first node may have died before routing it):
 * it goes to the next free agent of its department, or waits and its visitor hears their place.
 */
export async function routeStartedConversation(
  s: Services,
  accountId: string,
  conversationId: string,
): Promise<void> {
  if (!(await accountRoutesChats(s.db, accountId))) return;
  const candidates = await availableAgents(s, accountId);
  const agentId = await routeConversation(s.db, { accountId, conversationId, candidates });
  if (agentId) await announceTaken(s, accountId, conversationId);
  else await publishPlaces(s, accountId);
}

/**
 * Something may have freed a place (an agent came online, closed or handed on a chat, joined a department, took
 * more chats): the account's queue is run again, oldest chat first, and the visitors still waiting hear their
 * places. `moved` says the queue changed already (a chat left it some other way), so the places are sent anyway.
 */
export async function runQueue(
  s: Services,
  accountId: string,
  options: { moved?: boolean } = {},
): Promise<void> {
  if (!(await accountRoutesChats(s.db, accountId))) return;
  const routed = await routeQueue(s.db, { accountId, candidates: await availableAgents(s, accountId) });
  for (const { conversationId } of routed) await announceTaken(s, accountId, conversationId);
  if (routed.length > 0 || options.moved) await publishPlaces(s, accountId);
}
