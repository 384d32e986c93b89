import {
  createWebsite,
  DEFAULT_FILE_KINDS,
  deleteWebsite,
  LastWebsiteError,
  listWebsites,
  NO_VISITOR_CONTEXT,
  updateWebsite,
  WEEKDAYS,
  type Website,
  type WebsiteSettings,
  WebsiteSettingsError,
} from '@parley/db';
import { FILE_KINDS, WIDGET_LANGUAGES } from '@parley/protocol';
import { websiteLauncherPath } from '@parley/widget';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { AppError, fieldsRefused, readJson } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';
import { auditByAgent } from './dashboard-audit.ts';

// The account's websites: every agent sees them (which site a chat comes from, what visitors are shown); owners and
// admins add, change and delete them.

const PreChatField = z.enum(['off', 'optional', 'required']);
const Times = z.strictObject({ open: z.string().max(5), close: z.string().max(5) });

/** A website's settings as the dashboard sends them; what each value may be is checked by the store, field by field. */
export const WebsiteInput = z.strictObject({
  name: z.string().max(1000),
  origins: z.array(z.string().max(2000)).max(100),
  color: z.string().max(100),
  position: z.enum(['right', 'left']),
  launcherLabel: z.string().max(1000).nullable(),
  greeting: z.string().max(5000).nullable(),
  agentDisplay: z.enum(['name', 'initials']),
  languages: z.array(z.enum(WIDGET_LANGUAGES)).max(WIDGET_LANGUAGES.length * 2),
  preChat: z.strictObject({ name: PreChatField, email: PreChatField }),
  hours: z
    .strictObject({
      timeZone: z.string().max(100),
      days: z.partialRecord(z.enum(WEEKDAYS), Times),
    })
    .nullable(),
  transcripts: z.boolean(),
  ratings: z.boolean(),
  /** Absent: none, as for a client older than proactive greetings. */
  proactiveGreeting: z
    .strictObject({
      text: z.string().max(1000),
      after: z.number(),
      paths: z.array(z.string().max(1000)).max(50),
    })
    .nullable()
    .default(null),
  /** What agents see of a visitor beside the chat, item by item; absent: every item off. */
  context: z
    .strictObject({
      pages: z.boolean(),
      localTime: z.boolean(),
      country: z.boolean(),
      browser: z.boolean(),
      history: z.boolean(),
    })
    .optional(),
  /** The kinds of file visitors may send from the website; absent: images and PDF, as for a client older than files. */
  fileKinds: z
    .array(z.enum(FILE_KINDS))
    .max(FILE_KINDS.length * 2)
    .optional(),
});
export type WebsiteInput = z.infer<typeof WebsiteInput>;

const settingsOf = ({ preChat, context, fileKinds, ...input }: WebsiteInput): WebsiteSettings => ({
  ...input,
  preChatName: preChat.name,
  preChatEmail: preChat.email,
  context: context ?? { ...NO_VISITOR_CONTEXT },
  fileKinds: fileKinds ?? [...DEFAULT_FILE_KINDS],
});

/** Where this server is reached, for the snippet: the configured public origin, else the request's. */
const serverOrigin = (s: Services, c: Context): string => s.config.publicUrl ?? new URL(c.req.url).origin;

/** A website as the dashboard shows it, with the snippet to paste into its pages. */
export function websiteJson(website: Website, origin: string) {
  return {
    id: website.id,
    publicKey: website.publicKey,
    name: website.name,
    origins: website.origins,
    color: website.color,
    position: website.position,
    launcherLabel: website.launcherLabel,
    greeting: website.greeting,
    agentDisplay: website.agentDisplay,
    languages: website.languages,
    preChat: { name: website.preChatName, email: website.preChatEmail },
    hours: website.hours,
    transcripts: website.transcripts,
    ratings: website.ratings,
    proactiveGreeting: website.proactiveGreeting,
    context: website.context,
    fileKinds: website.fileKinds,
    createdAt: new Date(website.createdAt).toISOString(),
    snippet: `<script src="${origin}${websiteLauncherPath(website.publicKey)}" async></script>`,
  };
}

export function websiteRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);
  const audit = (auth: AgentAuth, action: string, websiteId: string) =>
    auditByAgent(s, auth, action, { websiteId });

  routes.get('/websites', guarded, async (c) => {
    const { account } = c.get('auth');
    const origin = serverOrigin(s, c);
    return c.json({ websites: (await listWebsites(s.db, account.id)).map((w) => websiteJson(w, origin)) });
  });

  routes.post('/websites', guarded, async (c) => {
    const { account } = c.get('auth');
    const input = await readJson(c, WebsiteInput);
    let website: Website;
    try {
      website = await createWebsite(s.db, account.id, settingsOf(input));
    } catch (error) {
      if (error instanceof WebsiteSettingsError) return fieldsRefused(c, error.fields);
      throw error;
    }
    await audit(c.get('auth'), 'website.created', website.id);
    return c.json(websiteJson(website, serverOrigin(s, c)), 201);
  });

  routes.put('/websites/:id', guarded, async (c) => {
    const { account } = c.get('auth');
    const input = await readJson(c, WebsiteInput);
    let website: Website | null;
    try {
      website = await updateWebsite(s.db, account.id, c.req.param('id'), settingsOf(input));
    } catch (error) {
      if (error instanceof WebsiteSettingsError) return fieldsRefused(c, error.fields);
      throw error;
    }
    if (!website) throw new AppError('not_found', 'This account has no such website.');
    await audit(c.get('auth'), 'website.updated', website.id);
    return c.json(websiteJson(website, serverOrigin(s, c)));
  });

  routes.delete('/websites/:id', guarded, async (c) => {
    const { account } = c.get('auth');
    const websiteId = c.req.param('id');
    try {
      if (!(await deleteWebsite(s.db, account.id, websiteId)))
        throw new AppError('not_found', 'This account has no such website.');
    } catch (error) {
      if (error instanceof LastWebsiteError)
        throw new AppError(
          'conflict',
          'An account keeps at least one website: add another before deleting this one.',
        );
      throw error;
    }
    await audit(c.get('auth'), 'website.deleted', websiteId);
    return c.body(null, 204);
  });
  return routes;
}
