import {
  FILE_KINDS,
  type FileKind,
  type PreChatField,
  type VisitorContextItems,
  WIDGET_LANGUAGES,
  type WidgetLanguage,
} from '@parley/protocol';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { read, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { checkProactiveGreeting, type ProactiveGreetingSettings } from './proactive-greeting.ts';
import { isTimeZone, minutesOf, WEEKDAYS, type WorkingHours } from './working-hours.ts';

/** A website the widget is put on, with its own key, the origins it may be embedded on, and its settings. */
export interface Website {
  id: string;
  accountId: string;
  publicKey: string;
  name: string;
  /** `scheme://host[:port]`; empty: any origin may embed it. */
  origins: string[];
  color: string;
  position: 'right' | 'left';
  launcherLabel: string | null;
  greeting: string | null;
  agentDisplay: 'name' | 'initials';
  /** Its default first. */
  languages: WidgetLanguage[];
  preChatName: PreChatField;
  preChatEmail: PreChatField;
  /** Null: always open. */
  hours: WorkingHours | null;
  transcripts: boolean;
  ratings: boolean;
  /** Null: the launcher never speaks first. */
  proactiveGreeting: ProactiveGreetingSettings | null;
  /** What agents see of a visitor beside the chat; every item off until the owner turns it on. */
  context: VisitorContextItems;
  /** The kinds of file visitors may send from this website, in `FILE_KINDS` order; none: no attachments. */
  fileKinds: FileKind[];
  createdAt: number;
}

/** What an owner sets; every field but the name has a default. */
export type WebsiteSettings = Omit<Website, 'id' | 'accountId' | 'publicKey' | 'createdAt'>;

export const DEFAULT_WEBSITE_COLOR = '#2a5d9f';
export const GREETING_MAX = 500;
export const LAUNCHER_LABEL_MAX = 40;
export const WEBSITE_NAME_MAX = 120;
export const ORIGINS_MAX = 20;
/** What a website takes from visitors until its owner chooses (the column's default says the same): images and PDF. */
export const DEFAULT_FILE_KINDS: readonly FileKind[] = ['image', 'pdf'];

/** The settings of a website nobody has changed yet: Parley's look, English, always open. */
export function defaultWebsiteSettings(name: string): WebsiteSettings {
  return {
    name,
    origins: [],
    color: DEFAULT_WEBSITE_COLOR,
    position: 'right',
    launcherLabel: null,
    greeting: null,
    agentDisplay: 'name',
    languages: ['en'],
    preChatName: 'off',
    preChatEmail: 'off',
    hours: null,
    transcripts: true,
    ratings: true,
    proactiveGreeting: null,
    context: { ...NO_VISITOR_CONTEXT },
    fileKinds: [...DEFAULT_FILE_KINDS],
  };
}

/** No context about visitors: how every website starts, and what a visitor who sent GPC or DNT always gets. */
export const NO_VISITOR_CONTEXT: Readonly<VisitorContextItems> = Object.freeze({
  pages: false,
  localTime: false,
  country: false,
  browser: false,
  history: false,
});

/** The context items as stored: each exactly `true` or `false`, whatever else was sent. */
function checkContext(context: Partial<VisitorContextItems> | undefined): VisitorContextItems {
  return {
    pages: context?.pages === true,
    localTime: context?.localTime === true,
    country: context?.country === true,
    browser: context?.browser === true,
    history: context?.history === true,
  };
}

/** Settings refused, by field name: each message a sentence an owner can act on. */
export class WebsiteSettingsError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.name = 'WebsiteSettingsError';
  }
}

/** An account's last website cannot be deleted: its chat would stop working everywhere. */
export class LastWebsiteError extends Error {
  constructor() {
    super('An account keeps at least one website.');
    this.name = 'LastWebsiteError';
  }
}

/**
 * `https://host[:port]` as browsers send it in `Origin`: scheme and host lower-case, the default port left out, no
 * path. Also takes a pasted page address (`https://shop.example/cart`), keeping only its origin. Null for anything
 * else.
 */
export function normalizeOrigin(input: string): string | null {
  const text = input.trim();
  if (!/^https?:\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username || url.password || !url.hostname) return null;
  return url.origin;
}

const PRE_CHAT_FIELDS: readonly PreChatField[] = ['off', 'optional', 'required'];

/** The settings as they will be stored, or the fields that are wrong. Texts are trimmed; an empty one is null. */
export function checkWebsiteSettings(settings: WebsiteSettings): WebsiteSettings {
  const fields: Record<string, string> = {};
  const name = settings.name.trim();
  if (name.length === 0) fields.name = 'Give the website a name.';
  else if (name.length > WEBSITE_NAME_MAX)
    fields.name = `The name may have at most ${WEBSITE_NAME_MAX} characters.`;

  const origins: string[] = [];
  for (const given of settings.origins) {
    if (given.trim() === '') continue;
    const origin = normalizeOrigin(given);
    if (!origin) {
      fields.origins = `“${given.trim()}” is not an origin: write it as https://www.example.com (with :port if any).`;
      break;
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  if (origins.length > ORIGINS_MAX) fields.origins = `List at most ${ORIGINS_MAX} origins.`;

  const color = settings.color.trim().toLowerCase();
  if (!/^#[0-9a-f]{6}$/.test(color)) fields.color = 'The colour must be written #rrggbb, e.g. #2a5d9f.';
  if (settings.position !== 'right' && settings.position !== 'left')
    fields.position = 'The launcher sits on the right or on the left.';

  const launcherLabel = settings.launcherLabel?.trim() || null;
  if (launcherLabel && launcherLabel.length > LAUNCHER_LABEL_MAX)
    fields.launcherLabel = `The launcher label may have at most ${LAUNCHER_LABEL_MAX} characters.`;
  const greeting = settings.greeting?.trim() || null;
  if (greeting && greeting.length > GREETING_MAX)
    fields.greeting = `The greeting may have at most ${GREETING_MAX} characters.`;
  if (settings.agentDisplay !== 'name' && settings.agentDisplay !== 'initials')
    fields.agentDisplay = 'Visitors see agents by name or by initials.';

  const languages = [...new Set(settings.languages)];
  if (languages.length === 0) fields.languages = 'Choose at least one language.';
  else if (!languages.every((language) => (WIDGET_LANGUAGES as readonly string[]).includes(language)))
    fields.languages = `The widget speaks ${WIDGET_LANGUAGES.join(', ')}.`;

  if (!PRE_CHAT_FIELDS.includes(settings.preChatName))
    fields.preChatName = 'The name is off, optional or required.';
  if (!PRE_CHAT_FIELDS.includes(settings.preChatEmail))
    fields.preChatEmail = 'The email address is off, optional or required.';

  const fileKinds = FILE_KINDS.filter((kind) => settings.fileKinds.includes(kind));
  if (settings.fileKinds.some((kind) => !(FILE_KINDS as readonly string[]).includes(kind)))
    fields.fileKinds = `Visitors may send ${FILE_KINDS.join(', ')} files.`;

  const hours = settings.hours ? checkHours(settings.hours, fields) : null;
  const proactiveGreeting = checkProactiveGreeting(settings.proactiveGreeting ?? null, fields);
  if (Object.keys(fields).length > 0) throw new WebsiteSettingsError(fields);
  return {
    ...settings,
    name,
    origins,
    color,
    launcherLabel,
    greeting,
    languages,
    hours,
    proactiveGreeting,
    transcripts: settings.transcripts === true,
    ratings: settings.ratings === true,
    context: checkContext(settings.context),
    fileKinds,
  };
}

function checkHours(hours: WorkingHours, fields: Record<string, string>): WorkingHours {
  if (!isTimeZone(hours.timeZone))
    fields.hoursTimeZone = `“${hours.timeZone}” is not a time zone (e.g. Europe/Berlin).`;
  const days: WorkingHours['days'] = {};
  for (const day of WEEKDAYS) {
    const times = hours.days[day];
    if (!times) continue;
    const open = minutesOf(times.open);
    const close = minutesOf(times.close);
    if (open === null || close === null) fields[`hours.${day}`] = 'Write times as HH:MM, e.g. 09:00.';
    else if (close <= open) fields[`hours.${day}`] = 'Closing must come after opening, on the same day.';
    else days[day] = { open: times.open, close: times.close };
  }
  for (const day of Object.keys(hours.days))
    if (!(WEEKDAYS as readonly string[]).includes(day)) fields.hours = `“${day}” is not a weekday.`;
  return { timeZone: hours.timeZone, days };
}

const columns = ({ websites }: Tables) => ({
  id: websites.id,
  accountId: websites.accountId,
  publicKey: websites.publicKey,
  name: websites.name,
  origins: websites.origins,
  color: websites.color,
  position: websites.position,
  launcherLabel: websites.launcherLabel,
  greeting: websites.greeting,
  agentDisplay: websites.agentDisplay,
  languages: websites.languages,
  preChatName: websites.preChatName,
  preChatEmail: websites.preChatEmail,
  hours: websites.hours,
  transcripts: websites.transcripts,
  ratings: websites.ratings,
  proactiveGreeting: websites.proactiveGreeting,
  createdAt: websites.createdAt,
  contextPages: websites.contextPages,
  contextLocalTime: websites.contextLocalTime,
  contextCountry: websites.contextCountry,
  contextBrowser: websites.contextBrowser,
  contextHistory: websites.contextHistory,
  fileKinds: websites.fileKinds,
});

type ContextColumns = {
  contextPages: boolean;
  contextLocalTime: boolean;
  contextCountry: boolean;
  contextBrowser: boolean;
  contextHistory: boolean;
};

/** The context items as the store's columns. */
const contextColumns = (context: VisitorContextItems): ContextColumns => ({
  contextPages: context.pages,
  contextLocalTime: context.localTime,
  contextCountry: context.country,
  contextBrowser: context.browser,
  contextHistory: context.history,
});

type WebsiteRow = Omit<Website, 'languages' | 'context' | 'fileKinds'> & {
  languages: string[];
  fileKinds: string[];
} & ContextColumns;

const toWebsite = ({
  contextPages,
  contextLocalTime,
  contextCountry,
  contextBrowser,
  contextHistory,
  ...row
}: WebsiteRow): Website => ({
  ...row,
  languages: row.languages.filter((language): language is WidgetLanguage =>
    (WIDGET_LANGUAGES as readonly string[]).includes(language),
  ),
  fileKinds: FILE_KINDS.filter((kind) => row.fileKinds.includes(kind)),
  context: {
    pages: contextPages,
    localTime: contextLocalTime,
    country: contextCountry,
    browser: contextBrowser,
    history: contextHistory,
  },
});

/** A website's settings as the store's columns. */
const settingsColumns = ({ context, ...settings }: WebsiteSettings) => ({
  ...settings,
  ...contextColumns(context),
});

export const newWebsiteKey = (): string => `pk_${newId('x').slice(2)}`;

/** A new website of the account, with a new public key. Throws `WebsiteSettingsError` for settings refused. */
export async function createWebsite(
  db: ParleyDb,
  accountId: string,
  settings: WebsiteSettings,
  options: { publicKey?: string; now?: number } = {},
): Promise<Website> {
  const checked = checkWebsiteSettings(settings);
  const website: Website = {
    ...checked,
    id: newId('web'),
    accountId,
    publicKey: options.publicKey ?? newWebsiteKey(),
    createdAt: options.now ?? Date.now(),
  };
  const { id, publicKey, createdAt } = website;
  await write(db, (o, { websites }) =>
    o.insert(websites).values({ ...settingsColumns(checked), id, accountId, publicKey, createdAt }),
  );
  return website;
}

/** The account's websites, oldest first: the first is the one its account-level public key names. */
export async function listWebsites(db: ParleyDb, accountId: string): Promise<Website[]> {
  const rows = await read(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.websites)
      .where(eq(t.websites.accountId, accountId))
      .orderBy(asc(t.websites.createdAt), asc(t.websites.id)),
  );
  return rows.map(toWebsite);
}

export async function getWebsite(
  db: ParleyDb,
  accountId: string,
  websiteId: string,
): Promise<Website | null> {
  const row = await readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.websites)
      .where(and(eq(t.websites.id, websiteId), eq(t.websites.accountId, accountId))),
  );
  return row ? toWebsite(row) : null;
}

/**
 * The website whose widget uses `publicKey`, on an open account. The account's own public key also names its first
 * website, so snippets made before an account had several keep working.
 */
export async function getWebsiteByPublicKey(db: ParleyDb, publicKey: string): Promise<Website | null> {
  const row = await readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.websites)
      .innerJoin(t.accounts, eq(t.accounts.id, t.websites.accountId))
      .where(and(eq(t.websites.publicKey, publicKey), isNull(t.accounts.closedAt))),
  );
  if (row) return toWebsite(row);
  const account = await readOne(db, (o, { accounts }) =>
    o
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.publicKey, publicKey), isNull(accounts.closedAt))),
  );
  if (!account) return null;
  const [first] = await listWebsites(db, account.id);
  return first ?? null;
}

/** Replaces a website's settings; its key and account stay. Null when the account has no such website. */
export async function updateWebsite(
  db: ParleyDb,
  accountId: string,
  websiteId: string,
  settings: WebsiteSettings,
): Promise<Website | null> {
  const checked = checkWebsiteSettings(settings);
  const changed = await write(db, (o, { websites }) =>
    o
      .update(websites)
      .set(settingsColumns(checked))
      .where(and(eq(websites.id, websiteId), eq(websites.accountId, accountId))),
  );
  return changed === 1 ? getWebsite(db, accountId, websiteId) : null;
}

/**
 * Deletes a website: its key stops working at once. Its conversations stay, no longer naming it. False when the
 * account has no such website; `LastWebsiteError` for the account's only one.
 */
export async function deleteWebsite(db: ParleyDb, accountId: string, websiteId: string): Promise<boolean> {
  return transaction(db, async () => {
    const [counted] = await read(db, (o, { websites }) =>
      o.select({ n: count() }).from(websites).where(eq(websites.accountId, accountId)),
    );
    const website = await getWebsite(db, accountId, websiteId);
    if (!website) return false;
    if ((counted?.n ?? 0) <= 1) throw new LastWebsiteError();
    await write(db, (o, { conversations }) =>
      o
        .update(conversations)
        .set({ websiteId: null })
        .where(and(eq(conversations.accountId, accountId), eq(conversations.websiteId, websiteId))),
    );
    await write(db, (o, { websites }) =>
      o.delete(websites).where(and(eq(websites.id, websiteId), eq(websites.accountId, accountId))),
    );
    return true;
  });
}

/** Initials of a name: the first letter of its first and last words, upper-case (`Ada Lovelace` → `AL`). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return ((Array.from(first)[0] ?? '') + (Array.from(last)[0] ?? '')).toLocaleUpperCase();
}

/**
 * For a website that shows agents by initials: each agent's public name (what frames carry) and the initials
 * visitors see instead, the agent's own or else made from their name.
 */
export async function agentInitialsByPublicName(
  db: ParleyDb,
  accountId: string,
): Promise<Map<string, string>> {
  const found = await read(db, (o, { agents }) =>
    o
      .select({
        publicName: sql<string>`coalesce(${agents.displayName}, ${agents.initials}, ${agents.name})`,
        initials: agents.initials,
        name: agents.name,
      })
      .from(agents)
      .where(eq(agents.accountId, accountId)),
  );
  return new Map(found.map((agent) => [agent.publicName, agent.initials ?? initialsOf(agent.name)]));
}
