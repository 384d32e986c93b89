import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { eraseSupportThreads, exportSupportThreads } from './admin/support.ts';
import { listCannedReplies } from './canned/canned-replies.ts';
import { listDepartments, listWebsiteDepartments } from './chat/departments.ts';
import type { ParleyDb } from './connection.ts';
import { appendToLedgerFile, type ErasureLedgerEntry, ledgerKey, recordErasure } from './erasure-ledger.ts';
import { read, readOne, write } from './statements.ts';
import { listTags } from './tags/tags.ts';
import { transaction } from './transaction.ts';
import { listWebsites } from './websites/websites.ts';

/**
 * RET-2: everything held about an account holder's account, in one document (no secrets or hashes). Fields keep the
 * database's column names, flags are booleans and times milliseconds, and lists are in the order the rows were
 * made, so the document reads the same whichever engine holds the store.
 */
export async function exportAccount(db: ParleyDb, accountId: string): Promise<Record<string, unknown>> {
  const account = await readOne(db, (o, { accounts }) =>
    o
      .select({
        id: accounts.id,
        public_key: accounts.publicKey,
        organization: accounts.organization,
        contact_name: accounts.contactName,
        contact_email: accounts.contactEmail,
        phone: accounts.phone,
        im_handle: accounts.imHandle,
        region: accounts.region,
        pre_chat_form: accounts.preChatForm,
        request_deadline_days: accounts.requestDeadlineDays,
        created_at: accounts.createdAt,
        closed_at: accounts.closedAt,
      })
      .from(accounts)
      .where(eq(accounts.id, accountId)),
  );
  if (!account) throw new Error(`No account ${accountId}`);
  const agents = await read(db, (o, { agents }) =>
    o
      .select({
        id: agents.id,
        email: agents.email,
        name: agents.name,
        role: agents.role,
        created_at: agents.createdAt,
        removed_at: agents.removedAt,
        display_name: agents.displayName,
        initials: agents.initials,
        notify_sound: agents.notifySound,
        notify_desktop: agents.notifyDesktop,
        notify_missed_mail: agents.notifyMissedMail,
        language: agents.language,
        capacity: agents.capacity,
      })
      .from(agents)
      .where(eq(agents.accountId, accountId))
      .orderBy(asc(agents.createdAt), asc(agents.id)),
  );
  // SEC-1: that a second factor is enrolled, never its secret or recovery codes.
  const enrolled = new Set(
    (
      await read(db, (o, { agents, secondFactors }) =>
        o
          .select({ agentId: secondFactors.agentId })
          .from(secondFactors)
          .innerJoin(agents, eq(agents.id, secondFactors.agentId))
          .where(and(eq(agents.accountId, accountId), isNotNull(secondFactors.confirmedAt))),
      )
    ).map((row) => row.agentId),
  );
  return {
    account,
    paymentCard: await readOne(db, (o, { paymentCards }) =>
      o
        .select({
          brand: paymentCards.brand,
          last4: paymentCards.last4,
          exp_month: paymentCards.expMonth,
          exp_year: paymentCards.expYear,
          updated_at: paymentCards.updatedAt,
        })
        .from(paymentCards)
        .where(eq(paymentCards.accountId, accountId)),
    ),
    agents: agents.map((agent) => ({ ...agent, second_factor: enrolled.has(agent.id) })),
    // The teams chats are routed to, with the agents who belong to them.
    departments: (await listDepartments(db, accountId)).map((department) => ({
      id: department.id,
      name: department.name,
      created_at: department.createdAt,
      agent_ids: department.agentIds,
    })),
    // The replies the account's agents reuse, with who last wrote each, and the tags its owners defined.
    canned_replies: (await listCannedReplies(db, accountId)).map((reply) => ({
      id: reply.id,
      short_name: reply.shortName,
      body: reply.body,
      created_at: reply.createdAt,
      updated_at: reply.updatedAt,
      updated_by: reply.updatedBy,
    })),
    tags: (await listTags(db, accountId)).map((tag) => ({
      id: tag.id,
      name: tag.name,
      color: tag.color,
      created_at: tag.createdAt,
    })),
    websites: await Promise.all(
      (await listWebsites(db, accountId)).map(async (website) => ({
        id: website.id,
        public_key: website.publicKey,
        name: website.name,
        origins: website.origins,
        color: website.color,
        position: website.position,
        launcher_label: website.launcherLabel,
        greeting: website.greeting,
        agent_display: website.agentDisplay,
        languages: website.languages,
        pre_chat_name: website.preChatName,
        pre_chat_email: website.preChatEmail,
        hours: website.hours,
        transcripts: website.transcripts,
        ratings: website.ratings,
        proactive_greeting: website.proactiveGreeting,
        context: website.context,
        created_at: website.createdAt,
        departments: (await listWebsiteDepartments(db, accountId, website.id)).map(
          (department) => department.id,
        ),
      })),
    ),
    // RET-2: links mailed to confirm a new email or reset a password, with the address waiting to be confirmed;
    // never the token's hash.
    links: await read(db, (o, { agents, personLinks }) =>
      o
        .select({
          agent_id: personLinks.agentId,
          purpose: personLinks.purpose,
          new_email: personLinks.newEmail,
          created_at: personLinks.createdAt,
          expires_at: personLinks.expiresAt,
        })
        .from(personLinks)
        .innerJoin(agents, eq(agents.id, personLinks.agentId))
        .where(eq(agents.accountId, accountId))
        .orderBy(asc(personLinks.createdAt), asc(personLinks.id)),
    ),
    invitations: await read(db, (o, { agentInvitations }) =>
      o
        .select({
          id: agentInvitations.id,
          email: agentInvitations.email,
          name: agentInvitations.name,
          created_at: agentInvitations.createdAt,
          expires_at: agentInvitations.expiresAt,
          accepted_at: agentInvitations.acceptedAt,
        })
        .from(agentInvitations)
        .where(eq(agentInvitations.accountId, accountId))
        .orderBy(asc(agentInvitations.createdAt), asc(agentInvitations.id)),
    ),
    marketing: await readOne(db, (o, { marketingPreferences }) =>
      o
        .select({
          opted_in: marketingPreferences.optedIn,
          source: marketingPreferences.source,
          changed_at: marketingPreferences.changedAt,
        })
        .from(marketingPreferences)
        .where(eq(marketingPreferences.accountId, accountId)),
    ),
    consents: await read(db, (o, { consentRecords }) =>
      o
        .select({
          scope: consentRecords.scope,
          choice: consentRecords.choice,
          policy_version: consentRecords.policyVersion,
          text_hash: consentRecords.textHash,
          language: consentRecords.language,
          created_at: consentRecords.createdAt,
        })
        .from(consentRecords)
        .where(and(eq(consentRecords.accountId, accountId), isNull(consentRecords.visitorId)))
        .orderBy(asc(consentRecords.createdAt), asc(consentRecords.id)),
    ),
    mail: await read(db, (o, { noticeOutbox }) =>
      o
        .select({
          kind: noticeOutbox.kind,
          to_email: noticeOutbox.toEmail,
          subject: noticeOutbox.subject,
          created_at: noticeOutbox.createdAt,
          sent_at: noticeOutbox.sentAt,
        })
        .from(noticeOutbox)
        .where(and(eq(noticeOutbox.accountId, accountId), isNull(noticeOutbox.visitorId)))
        .orderBy(asc(noticeOutbox.createdAt), asc(noticeOutbox.id)),
    ),
    // COM-1: what the account wrote to support and the answers it got.
    support: await exportSupportThreads(db, accountId),
  };
}

/** Deletes every sign-in of the account's agents; the caller closes their sockets on every node. */
export async function deleteAgentSessionsOf(db: ParleyDb, accountId: string): Promise<void> {
  await write(db, (o, { agents, sessions }) =>
    o
      .delete(sessions)
      .where(
        and(
          eq(sessions.userKind, 'agent'),
          inArray(
            sessions.userId,
            o.select({ id: agents.id }).from(agents).where(eq(agents.accountId, accountId)),
          ),
        ),
      ),
  );
}

/**
 * RET-2, RET-3: closes an account. Nobody can sign in from now on; the retention clock of the account's data starts
 * (the sweep deletes it when the policy's period after closing has passed). Closing an account that is already
 * closed changes nothing and returns false, also when two requests close it at once.
 */
export async function closeAccount(
  db: ParleyDb,
  input: { accountId: string; actorId?: string; now?: number; replay?: boolean },
): Promise<boolean> {
  const now = input.now ?? Date.now();
  // A closing is kept in the erasure ledger, so that a restored backup closes the account again (a replay is
  // already there).
  const key = input.replay ? null : await ledgerKey(db);
  let recorded: ErasureLedgerEntry | null = null;
  const closed = await transaction(db, async () => {
    // Only the request that finds the account open goes on; on PostgreSQL a second one waits for this row's lock
    // and then finds it closed.
    const closed = await write(db, (o, { accounts }) =>
      o
        .update(accounts)
        .set({ closedAt: now, apiKeyHash: null })
        .where(and(eq(accounts.id, input.accountId), isNull(accounts.closedAt))),
    );
    if (closed !== 1) return false;
    await deleteAgentSessionsOf(db, input.accountId);
    await write(db, (o, { agents, personLinks }) =>
      o
        .delete(personLinks)
        .where(
          inArray(
            personLinks.agentId,
            o.select({ id: agents.id }).from(agents).where(eq(agents.accountId, input.accountId)),
          ),
        ),
    );
    // SEC-1: nobody signs in to a closed account, so its second factors go now.
    await write(db, (o, { agents, secondFactors }) =>
      o
        .delete(secondFactors)
        .where(
          inArray(
            secondFactors.agentId,
            o.select({ id: agents.id }).from(agents).where(eq(agents.accountId, input.accountId)),
          ),
        ),
    );
    await write(db, (o, { agents }) =>
      o
        .update(agents)
        .set({ removedAt: now, online: false })
        .where(and(eq(agents.accountId, input.accountId), isNull(agents.removedAt))),
    );
    await write(db, (o, { agentInvitations }) =>
      o
        .delete(agentInvitations)
        .where(and(eq(agentInvitations.accountId, input.accountId), isNull(agentInvitations.acceptedAt))),
    );
    // COM-1: support messages go with the account, and so does any suspension.
    await eraseSupportThreads(db, input.accountId);
    await write(db, (o, { accountSuspensions }) =>
      o.delete(accountSuspensions).where(eq(accountSuspensions.accountId, input.accountId)),
    );
    await write(db, (o, { auditLog }) =>
      o.insert(auditLog).values({
        actorKind: input.actorId ? 'agent' : 'system',
        actorId: input.actorId ?? null,
        accountId: input.accountId,
        action: 'account.closed',
        createdAt: now,
      }),
    );
    if (key)
      recorded = await recordErasure(db, key, { kind: 'account', subjectId: input.accountId, erasedAt: now });
    return true;
  });
  if (recorded) await appendToLedgerFile(db, [recorded]);
  return closed;
}
