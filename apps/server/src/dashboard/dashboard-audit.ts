import { writeAudit } from '@parley/db/chat';
import type { AgentAuth, Services } from '../services.ts';

/** What an owner or admin did to something of their account, in the account's audit log. */
export const auditByAgent = (s: Services, auth: AgentAuth, action: string, detail: Record<string, string>) =>
  writeAudit(s.db, {
    actorKind: 'agent',
    actorId: auth.agent.id,
    accountId: auth.account.id,
    action,
    detail,
  });
