import type { Account, Agent } from '@parley/db/chat';
import { iso } from '../chat/summaries.ts';

/** An agent as the dashboard API returns it. */
export const agentJson = (agent: Agent) => ({
  id: agent.id,
  name: agent.name,
  email: agent.email,
  role: agent.role,
  online: agent.online,
  createdAt: iso(agent.createdAt),
});

/** The signed-in agent, as sign-in and `/me` return them: with their own settings the dashboard starts with. */
export const signedInAgentJson = (agent: Agent) => ({ ...agentJson(agent), language: agent.language });

/** An account as the dashboard API returns it: never the API key or its hash, only whether one is set. */
export const accountJson = (account: Account) => ({
  id: account.id,
  organization: account.organization,
  publicKey: account.publicKey,
  contactName: account.contactName,
  contactEmail: account.contactEmail,
  phone: account.phone,
  imHandle: account.imHandle,
  region: account.region,
  preChatForm: account.preChatForm,
  hasApiKey: account.hasApiKey,
  createdAt: iso(account.createdAt),
});
