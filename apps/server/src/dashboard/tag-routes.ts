import {
  createTag,
  deleteTag,
  listTags,
  openConversationsTagged,
  type Tag,
  TagError,
  tagConversation,
  untagConversation,
  updateTag,
} from '@parley/db';
import { getConversation } from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { assertCanSee, guardRoute } from '../auth/access.ts';
import { publishTags } from '../chat/notify.ts';
import { AppError, fieldsRefused, orRefusal, readJson } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';
import { auditByAgent } from './dashboard-audit.ts';

// The account's tags: owners and admins define them; every agent puts them on the conversations they may see, and
// every agent of the account (on any node) hears the change through the bus.

/** A tag as the dashboard sends it; the store checks the name and colour, field by field. */
export const TagInput = z.strictObject({
  name: z.string().max(1000),
  color: z.string().max(100).nullable().optional(),
});
export type TagInput = z.infer<typeof TagInput>;

export const tagJson = (tag: Tag) => ({ id: tag.id, name: tag.name, color: tag.color });

const NO_TAG = 'This account has no such tag.';

export function tagRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);
  const audit = (auth: AgentAuth, action: string, tagId: string) => auditByAgent(s, auth, action, { tagId });

  routes.get('/tags', guarded, async (c) => {
    return c.json({ tags: (await listTags(s.db, c.get('auth').account.id)).map(tagJson) });
  });

  routes.post('/tags', guarded, async (c) => {
    const auth = c.get('auth');
    const input = await readJson(c, TagInput);
    const tag = await orRefusal(TagError, () => createTag(s.db, auth.account.id, input));
    if (tag instanceof TagError) return fieldsRefused(c, tag.fields);
    await audit(auth, 'tag.created', tag.id);
    return c.json(tagJson(tag), 201);
  });

  routes.put('/tags/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const input = await readJson(c, TagInput);
    const tag = await orRefusal(TagError, () => updateTag(s.db, auth.account.id, c.req.param('id'), input));
    if (tag instanceof TagError) return fieldsRefused(c, tag.fields);
    if (!tag) throw new AppError('not_found', NO_TAG);
    await audit(auth, 'tag.updated', tag.id);
    await publishTags(s, auth.account.id, await openConversationsTagged(s.db, auth.account.id, tag.id));
    return c.json(tagJson(tag));
  });

  routes.delete('/tags/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const id = c.req.param('id');
    const untagged = await deleteTag(s.db, auth.account.id, id);
    if (untagged === null) throw new AppError('not_found', NO_TAG);
    await audit(auth, 'tag.deleted', id);
    await publishTags(s, auth.account.id, untagged);
    return c.body(null, 204);
  });

  /** The conversation of the path, which must be the account's and one the agent may see. */
  const seenConversation = async (auth: AgentAuth, conversationId: string): Promise<void> => {
    const conversation = await getConversation(s.db, auth.account.id, conversationId);
    if (!conversation) throw new AppError('not_found', 'There is no such conversation in this account.');
    assertCanSee(auth, conversation);
  };

  routes.put('/conversations/:id/tags/:tagId', guarded, async (c) => {
    const auth = c.get('auth');
    const conversationId = c.req.param('id');
    await seenConversation(auth, conversationId);
    const input = { accountId: auth.account.id, conversationId, tagId: c.req.param('tagId') };
    if (!(await tagConversation(s.db, input))) throw new AppError('not_found', NO_TAG);
    await publishTags(s, auth.account.id, [conversationId]);
    return c.body(null, 204);
  });

  /** Taking off a tag the conversation does not carry changes nothing and is no error. */
  routes.delete('/conversations/:id/tags/:tagId', guarded, async (c) => {
    const auth = c.get('auth');
    const conversationId = c.req.param('id');
    await seenConversation(auth, conversationId);
    const input = { accountId: auth.account.id, conversationId, tagId: c.req.param('tagId') };
    if (await untagConversation(s.db, input)) await publishTags(s, auth.account.id, [conversationId]);
    return c.body(null, 204);
  });
  return routes;
}
