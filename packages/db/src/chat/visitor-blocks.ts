import { addDuration, type PolicyContent } from '@parley/policy';
import { and, asc, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { read, readOne, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { writeAudit } from './audit.ts';

// SEC-1: an agent keeps an unwanted visitor out of the chat for a while, by the hash of the visitor's chat id and by
// the network their address belongs to. Nothing here tells the visitor why: the widget only hears the chat is not
// available.

/** The periods a dashboard offers, in days; only those within the policy's retention for blocks are allowed. */
export const BLOCK_PERIOD_DAYS: readonly number[] = [1, 7, 30];

const DAY_MS = 86_400_000;

/**
 * The longest a block may last under `content`: the retention its own rule gives the chat-id hash a block keeps;
 * zero under a policy version that declares no blocks (CHG-1: nothing is collected before the version applies).
 */
export function longestBlockMs(content: PolicyContent, now = 0): number {
  const rule = content.retention.find(
    (r) => r.store === 'visitor_blocks' && r.category === 'user.unique_id.pseudonymous',
  );
  return rule ? addDuration(new Date(now), rule.retention.keep).getTime() - now : 0;
}

/** The periods an agent may choose under `content`, in days, shortest first; none when it declares no blocks. */
export function blockPeriodDays(content: PolicyContent): number[] {
  const longest = longestBlockMs(content);
  return BLOCK_PERIOD_DAYS.filter((days) => days * DAY_MS <= longest);
}

/**
 * The network a truncated address belongs to, as a block stores it: `203.0.113.0` → `203.0.113.0/24`,
 * `2001:db8:1::` → `2001:db8:1::/48` (the truncations of the access log, LOG-1). Null for anything else.
 */
export function blockNetwork(truncated: string | null | undefined): string | null {
  if (!truncated) return null;
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.0$/.test(truncated)) return `${truncated}/24`;
  if (/^[0-9a-f:]*::$/.test(truncated)) return `${truncated}/48`;
  return null;
}

export class BlockError extends Error {
  constructor(
    readonly code: 'not_found' | 'period_not_allowed',
    message: string,
  ) {
    super(message);
  }
}

export interface VisitorBlock {
  id: string;
  visitorId: string | null;
  /** The visitor's name when they gave one and are not erased. */
  visitorName: string | null;
  network: string | null;
  reason: string | null;
  /** The agent who blocked, while they belong to the account. */
  blockedBy: { id: string; name: string } | null;
  createdAt: number;
  expiresAt: number;
}

export interface BlockInput {
  accountId: string;
  visitorId: string;
  agentId: string;
  days: number;
  reason: string | null;
  /** The network of the visitor's address when a socket of theirs knows it; else their last logged one. */
  network: string | null;
  content: PolicyContent;
  now: number;
}

/**
 * Blocks one of the account's visitors for `days`, by their chat-id hash and the network of their address (taken
 * from the access log when `network` is not given; a socket of theirs may add it later with `setBlockNetwork`).
 * The period must be one the policy allows. Recorded in the audit log with ids only.
 */
export async function blockVisitor(db: ParleyDb, input: BlockInput): Promise<VisitorBlock> {
  const periods = blockPeriodDays(input.content);
  if (!periods.includes(input.days))
    throw new BlockError(
      'period_not_allowed',
      periods.length > 0
        ? `a block lasts ${periods.join(', ')} days`
        : 'the privacy policy in force declares no blocks',
    );
  return transaction(db, async () => {
    const visitor = await readOne(db, (o, { visitors }) =>
      o
        .select({ chatIdHash: visitors.chatIdHash, name: visitors.name })
        .from(visitors)
        .where(and(eq(visitors.accountId, input.accountId), eq(visitors.id, input.visitorId))),
    );
    if (!visitor) throw new BlockError('not_found', 'no such visitor');
    const network = input.network ?? (await lastLoggedNetwork(db, input.visitorId));
    const block = {
      id: newId('blk'),
      accountId: input.accountId,
      visitorId: input.visitorId,
      chatIdHash: visitor.chatIdHash,
      network,
      reason: input.reason,
      blockedBy: input.agentId,
      createdAt: input.now,
      expiresAt: input.now + input.days * DAY_MS,
    };
    await write(db, (o, { visitorBlocks }) => o.insert(visitorBlocks).values(block));
    await writeAudit(db, {
      actorKind: 'agent',
      actorId: input.agentId,
      accountId: input.accountId,
      action: 'visitor.blocked',
      detail: { blockId: block.id, visitorId: input.visitorId, days: input.days },
      now: input.now,
    });
    const agent = await agentName(db, input.accountId, input.agentId);
    return {
      id: block.id,
      visitorId: block.visitorId,
      visitorName: visitor.name,
      network: block.network,
      reason: block.reason,
      blockedBy: agent ? { id: input.agentId, name: agent } : null,
      createdAt: block.createdAt,
      expiresAt: block.expiresAt,
    };
  });
}

/** The network of the visitor's most recent logged request, if the access log still has one. */
async function lastLoggedNetwork(db: ParleyDb, visitorId: string): Promise<string | null> {
  const line = await readOne(db, (o, { accessLog }) =>
    o
      .select({ ip: accessLog.ipTruncated })
      .from(accessLog)
      .where(eq(accessLog.visitorId, visitorId))
      .orderBy(desc(accessLog.at))
      .limit(1),
  );
  return blockNetwork(line?.ip);
}

async function agentName(db: ParleyDb, accountId: string, agentId: string): Promise<string | null> {
  const agent = await readOne(db, (o, { agents }) =>
    o
      .select({ name: agents.name })
      .from(agents)
      .where(and(eq(agents.accountId, accountId), eq(agents.id, agentId))),
  );
  return agent?.name ?? null;
}

/** Adds the network a blocked visitor's open socket connects from to a block made without one. */
export async function setBlockNetwork(
  db: ParleyDb,
  input: { accountId: string; blockId: string; network: string },
): Promise<boolean> {
  const changed = await write(db, (o, { visitorBlocks }) =>
    o
      .update(visitorBlocks)
      .set({ network: input.network })
      .where(
        and(
          eq(visitorBlocks.accountId, input.accountId),
          eq(visitorBlocks.id, input.blockId),
          isNull(visitorBlocks.network),
        ),
      ),
  );
  return changed === 1;
}

/**
 * The block in force at `now` on a visitor of the account who has this chat-id hash or connects from this network,
 * or null. Asked once as a visitor's socket greets, never per message.
 */
export async function findActiveBlock(
  db: ParleyDb,
  input: { accountId: string; chatIdHash: string | null; network: string | null; now: number },
): Promise<{ id: string; expiresAt: number } | null> {
  const { chatIdHash, network } = input;
  if (chatIdHash === null && network === null) return null;
  return readOne(db, (o, { visitorBlocks: b }) => {
    const matches = [
      ...(chatIdHash === null ? [] : [eq(b.chatIdHash, chatIdHash)]),
      ...(network === null ? [] : [eq(b.network, network)]),
    ];
    return o
      .select({ id: b.id, expiresAt: b.expiresAt })
      .from(b)
      .where(and(eq(b.accountId, input.accountId), gt(b.expiresAt, input.now), or(...matches)))
      .limit(1);
  });
}

/** The account's blocks in force at `now`, those ending soonest first. */
export async function listBlocks(db: ParleyDb, accountId: string, now: number): Promise<VisitorBlock[]> {
  const found = await read(db, (o, { visitorBlocks: b, visitors: v, agents: a }) =>
    o
      .select({
        id: b.id,
        visitorId: b.visitorId,
        visitorName: v.name,
        network: b.network,
        reason: b.reason,
        blockedById: a.id,
        blockedByName: a.name,
        createdAt: b.createdAt,
        expiresAt: b.expiresAt,
      })
      .from(b)
      .leftJoin(v, and(eq(v.id, b.visitorId), eq(v.accountId, b.accountId)))
      .leftJoin(a, and(eq(a.id, b.blockedBy), eq(a.accountId, b.accountId)))
      .where(and(eq(b.accountId, accountId), gt(b.expiresAt, now)))
      .orderBy(asc(b.expiresAt), asc(b.id)),
  );
  return found.map(({ blockedById, blockedByName, ...block }) => ({
    ...block,
    blockedBy: blockedById && blockedByName ? { id: blockedById, name: blockedByName } : null,
  }));
}

/** Lifts a block before it ends; false when the account has no such block. Recorded in the audit log. */
export async function liftBlock(
  db: ParleyDb,
  input: { accountId: string; blockId: string; agentId: string; now: number },
): Promise<boolean> {
  return transaction(db, async () => {
    const removed = await write(db, (o, { visitorBlocks }) =>
      o
        .delete(visitorBlocks)
        .where(and(eq(visitorBlocks.accountId, input.accountId), eq(visitorBlocks.id, input.blockId))),
    );
    if (removed !== 1) return false;
    await writeAudit(db, {
      actorKind: 'agent',
      actorId: input.agentId,
      accountId: input.accountId,
      action: 'visitor.unblocked',
      detail: { blockId: input.blockId },
      now: input.now,
    });
    return true;
  });
}
