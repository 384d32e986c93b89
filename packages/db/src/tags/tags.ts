import type { PolicyContent } from '@parley/policy';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { publishStatistic, type Statistic, type StatisticsRange } from '../aggregates.ts';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockFor, read, readOne, rows, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/** A label an account's owners define, which agents put on conversations. */
export interface Tag {
  id: string;
  accountId: string;
  name: string;
  /** `#rrggbb`, or null for the dashboard's own colour. */
  color: string | null;
  createdAt: number;
}

export interface TagInput {
  name: string;
  color?: string | null;
}

export const TAG_NAME_MAX = 40;

/** A tag refused, by field name: each message a sentence an owner can act on. */
export class TagError extends Error {
  constructor(readonly fields: Partial<Record<keyof TagInput, string>>) {
    super(Object.values(fields).join(' '));
    this.name = 'TagError';
  }
}

/** What makes two names the same tag: case and runs of spaces do not. */
const keyOf = (name: string) => name.toLowerCase();

/** The tag as it will be stored, or the fields that are wrong. The name is trimmed, its inner spaces made single. */
export function checkTag(input: TagInput): { name: string; color: string | null } {
  const fields: Partial<Record<keyof TagInput, string>> = {};
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length === 0) fields.name = 'Give the tag a name.';
  else if (name.length > TAG_NAME_MAX)
    fields.name = `A tag's name may have at most ${TAG_NAME_MAX} characters.`;
  const color = input.color?.trim().toLowerCase() || null;
  if (color !== null && !/^#[0-9a-f]{6}$/.test(color))
    fields.color = 'The colour must be written #rrggbb, e.g. #2a5d9f.';
  if (Object.keys(fields).length > 0) throw new TagError(fields);
  return { name, color };
}

const TAKEN = (name: string) => new TagError({ name: `The account already has a tag called “${name}”.` });

const columns = ({ tags }: Tables) => ({
  id: tags.id,
  accountId: tags.accountId,
  name: tags.name,
  color: tags.color,
  createdAt: tags.createdAt,
});

/** The account's tags, by name. */
export async function listTags(db: ParleyDb, accountId: string): Promise<Tag[]> {
  return read(db, (o, t) =>
    o.select(columns(t)).from(t.tags).where(eq(t.tags.accountId, accountId)).orderBy(asc(t.tags.nameKey)),
  );
}

export async function getTag(db: ParleyDb, accountId: string, id: string): Promise<Tag | null> {
  return readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.tags)
      .where(and(eq(t.tags.id, id), eq(t.tags.accountId, accountId))),
  );
}

/** Adds a tag; `TagError` when a field is wrong or the account has a tag of that name, whatever its case. */
export async function createTag(
  db: ParleyDb,
  accountId: string,
  input: TagInput,
  options: { now?: number } = {},
): Promise<Tag> {
  const checked = checkTag(input);
  const tag: Tag = { id: newId('tag'), accountId, ...checked, createdAt: options.now ?? Date.now() };
  const added = await write(db, (o, { tags }) =>
    o
      .insert(tags)
      .values({ ...tag, nameKey: keyOf(tag.name) })
      .onConflictDoNothing({ target: [tags.accountId, tags.nameKey] }),
  );
  if (added !== 1) throw TAKEN(checked.name);
  return tag;
}

/** Renames or recolours a tag. Null when the account has no such tag; `TagError` as for `createTag`. */
export async function updateTag(
  db: ParleyDb,
  accountId: string,
  id: string,
  input: TagInput,
): Promise<Tag | null> {
  const checked = checkTag(input);
  return transaction(db, async () => {
    await lockFor(db, `tags:${accountId}`);
    const other = await readOne(db, (o, { tags }) =>
      o
        .select({ id: tags.id })
        .from(tags)
        .where(and(eq(tags.accountId, accountId), eq(tags.nameKey, keyOf(checked.name)), ne(tags.id, id))),
    );
    if (other) throw TAKEN(checked.name);
    const changed = await write(db, (o, { tags }) =>
      o
        .update(tags)
        .set({ ...checked, nameKey: keyOf(checked.name) })
        .where(and(eq(tags.id, id), eq(tags.accountId, accountId))),
    );
    return changed === 1 ? getTag(db, accountId, id) : null;
  });
}

/** The account's waiting and active conversations carrying the tag: those whose agents see its name change. */
export async function openConversationsTagged(
  db: ParleyDb,
  accountId: string,
  tagId: string,
): Promise<string[]> {
  const found = await read(db, (o, { conversationTags, conversations }) =>
    o
      .select({ id: conversationTags.conversationId })
      .from(conversationTags)
      .innerJoin(conversations, eq(conversations.id, conversationTags.conversationId))
      .where(
        and(
          eq(conversationTags.tagId, tagId),
          eq(conversationTags.accountId, accountId),
          inArray(conversations.status, ['waiting', 'active']),
        ),
      )
      .orderBy(asc(conversationTags.conversationId)),
  );
  return found.map((row) => row.id);
}

/**
 * Deletes a tag and takes it off every conversation. Returns the open conversations it was on (for agents to hear
 * of), or null when the account has no such tag.
 */
export async function deleteTag(db: ParleyDb, accountId: string, id: string): Promise<string[] | null> {
  return transaction(db, async () => {
    if (!(await getTag(db, accountId, id))) return null;
    const open = await openConversationsTagged(db, accountId, id);
    await write(db, (o, { conversationTags }) =>
      o
        .delete(conversationTags)
        .where(and(eq(conversationTags.tagId, id), eq(conversationTags.accountId, accountId))),
    );
    await write(db, (o, { tags }) =>
      o.delete(tags).where(and(eq(tags.id, id), eq(tags.accountId, accountId))),
    );
    return open;
  });
}

/**
 * Puts the account's tag on the account's conversation. False when either is not the account's; putting a tag on
 * twice keeps one.
 */
export async function tagConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; tagId: string; now?: number },
): Promise<boolean> {
  const { accountId, conversationId, tagId } = input;
  return transaction(db, async () => {
    const conversation = await readOne(db, (o, { conversations }) =>
      o
        .select({ visitorId: conversations.visitorId })
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId))),
    );
    if (!conversation || !(await getTag(db, accountId, tagId))) return false;
    await write(db, (o, { conversationTags }) =>
      o
        .insert(conversationTags)
        .values({
          conversationId,
          tagId,
          accountId,
          visitorId: conversation.visitorId,
          createdAt: input.now ?? Date.now(),
        })
        .onConflictDoNothing({ target: [conversationTags.conversationId, conversationTags.tagId] }),
    );
    return true;
  });
}

/** Takes a tag off a conversation. False when the conversation did not carry it (in this account). */
export async function untagConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; tagId: string },
): Promise<boolean> {
  const removed = await write(db, (o, { conversationTags }) =>
    o
      .delete(conversationTags)
      .where(
        and(
          eq(conversationTags.conversationId, input.conversationId),
          eq(conversationTags.tagId, input.tagId),
          eq(conversationTags.accountId, input.accountId),
        ),
      ),
  );
  return removed === 1;
}

/** The names of the tags on each of `conversationIds` (of the account), by name: one statement for a page. */
export async function tagNamesOf(
  db: ParleyDb,
  accountId: string,
  conversationIds: readonly string[],
): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
  if (conversationIds.length === 0) return names;
  const found = await read(db, (o, { conversationTags, tags }) =>
    o
      .select({ conversationId: conversationTags.conversationId, name: tags.name })
      .from(conversationTags)
      .innerJoin(tags, eq(tags.id, conversationTags.tagId))
      .where(
        and(
          eq(conversationTags.accountId, accountId),
          inArray(conversationTags.conversationId, [...conversationIds]),
        ),
      )
      .orderBy(asc(tags.nameKey)),
  );
  for (const row of found) names.get(row.conversationId)?.push(row.name);
  return names;
}

/** A tag's count of conversations in a period, suppressed like every statistic when too few visitors are in it. */
export interface TagStatistic {
  tag: { id: string; name: string };
  statistic: Statistic;
}

/**
 * LOG-2, LOG-3: per tag of the account, how many of its conversations started in the range carry it, over how many
 * distinct visitors. A tag on conversations of fewer visitors than the policy's minimum group size shows no count.
 */
export async function tagStatistics(
  db: ParleyDb,
  content: PolicyContent,
  accountId: string,
  range: StatisticsRange,
): Promise<TagStatistic[]> {
  const counted = await rows<{
    id: string;
    name: string;
    conversations: number | string;
    people: number | string;
  }>(
    db,
    sql`SELECT t.id, t.name, count(c.id) AS conversations, count(DISTINCT c.visitor_id) AS people
      FROM tags t
      LEFT JOIN conversation_tags ct ON ct.tag_id = t.id AND ct.account_id = t.account_id
      LEFT JOIN conversations c ON c.id = ct.conversation_id AND c.started_at >= ${range.from}
        AND c.started_at < ${range.to}
      WHERE t.account_id = ${accountId}
      GROUP BY t.id, t.name, t.name_key
      ORDER BY t.name_key`,
  );
  return counted.map((row) => ({
    tag: { id: row.id, name: row.name },
    statistic: publishStatistic(
      content,
      'conversations_with_tag',
      Number(row.conversations),
      Number(row.people),
    ),
  }));
}
