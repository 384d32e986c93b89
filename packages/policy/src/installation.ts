import { addDuration, durationSeconds } from './duration.ts';
import { parleyPolicy } from './history.ts';
import type { PolicyContent, PolicyModel, PolicyVersion, PromiseId, RegionCode } from './schema.ts';
import { forStoreEngine, type StoreEngine } from './store-engine.ts';
import { validatePolicy } from './validate.ts';

/**
 * What an operator sets for their own installation; the rest of the policy is Parley's. Each switch says whether the
 * installation runs a part of Parley that hands data to someone or sets a cookie; what it does not run, its policy
 * does not declare. Unset switches keep Parley's own model as it is.
 */
export interface InstallationSettings {
  region?: RegionCode;
  controllerName?: string;
  contact?: string;
  /** Mail goes out through an SMTP relay (the `email-delivery` processor); off, it is written to local files. */
  smtpRelay?: boolean;
  /** Subscriptions are paid by card (the `payments` processor). A self-hosted installation takes no payments. */
  payments?: boolean;
  /** The admin console runs, with its own session cookie. */
  adminConsole?: boolean;
  /** What the store runs on, which decides what an erasure leaves on disk (RET-4). Unset: SQLite. */
  storeEngine?: StoreEngine;
}

/** Data a part alone asks people for: without the part, the policy says it is not collected, and why. */
interface PartCollection {
  category: string;
  /** What the category's description becomes. */
  description: string;
  /** A sentence added to the promise that lists what is collected. */
  promise: { id: PromiseId; note: string };
}

interface Part {
  processors: readonly string[];
  activities: readonly string[];
  cookies: readonly string[];
  collects?: PartCollection;
}

/** The processors, uses of data and cookies that belong to a part an installation may not run. */
const PARTS = {
  smtpRelay: { processors: ['email-delivery'], activities: [], cookies: [] },
  payments: {
    processors: ['payments'],
    activities: ['take_payments'],
    cookies: [],
    // COL-1: without a payment processor, nobody is asked for a card.
    collects: {
      category: 'user.financial.credit_card',
      description:
        'Not collected here: this installation has no payment processor switched on, so it asks nobody for a payment card.',
      promise: {
        id: 'COL-1',
        note: 'This installation has no payment processor switched on, so it asks for no payment card.',
      },
    },
  },
  adminConsole: { processors: [], activities: [], cookies: ['parley_admin_session'] },
} as const satisfies Record<'smtpRelay' | 'payments' | 'adminConsole', Part>;

function withoutParts(content: PolicyContent, settings: InstallationSettings): PolicyContent {
  const off = (Object.keys(PARTS) as Array<keyof typeof PARTS>).filter((part) => settings[part] === false);
  const processors = new Set<string>(off.flatMap((part) => PARTS[part].processors));
  const activities = new Set<string>(off.flatMap((part) => PARTS[part].activities));
  const cookies = new Set<string>(off.flatMap((part) => PARTS[part].cookies));
  const uncollected = off.flatMap((part): PartCollection[] => {
    const collects = (PARTS[part] as Part).collects;
    return collects ? [collects] : [];
  });
  return {
    ...content,
    categories: content.categories.map((c) => {
      const part = uncollected.find((u) => u.category === c.key);
      return part ? { ...c, description: part.description } : c;
    }),
    promises: content.promises.map((p) => {
      const notes = uncollected.filter((u) => u.promise.id === p.id).map((u) => u.promise.note);
      return notes.length > 0 ? { ...p, statement: [p.statement, ...notes].join(' ') } : p;
    }),
    processors: content.processors.filter((p) => !processors.has(p.id)),
    activities: content.activities
      .filter((a) => !activities.has(a.id))
      .map((a) => ({ ...a, processors: a.processors.filter((id) => !processors.has(id)) })),
    cookies: content.cookies.filter((c) => !cookies.has(c.name)),
  };
}

/**
 * The policy of one installation: Parley's model with the operator's region and contact applied, without the
 * processors, uses and cookies of the parts the installation does not run, and saying what erasure leaves behind
 * on the engine its store runs on. An installation's history starts with the first version that lists its region
 * (a version that did not allow the region never applied to it). Validated, so a region that no version lists is
 * refused (COL-4).
 */
export function policyForInstallation(
  settings: InstallationSettings = {},
  base: PolicyModel = parleyPolicy,
): PolicyModel {
  const apply = (content: PolicyContent): PolicyContent => ({
    ...forStoreEngine(withoutParts(content, settings), settings.storeEngine ?? 'sqlite'),
    regions: { ...content.regions, installation: settings.region ?? content.regions.installation },
    controller: {
      name: settings.controllerName ?? content.controller.name,
      contact: settings.contact ?? content.controller.contact,
    },
  });
  const region = settings.region;
  const first =
    region === undefined ? 0 : base.versions.findIndex((v) => v.content.regions.available.includes(region));
  const versions = (first === -1 ? base.versions.slice(-1) : base.versions.slice(first)).map((v) => ({
    ...v,
    content: apply(v.content),
  }));
  return validatePolicy({ versions });
}

/** CHG-1: the notice period when a version states none. */
export const DEFAULT_NOTICE_PERIOD = 'P30D';

export const noticePeriod = (content: PolicyContent): string => content.noticePeriod ?? DEFAULT_NOTICE_PERIOD;

/** What an installation records when it first runs a version of the policy. */
export interface VersionRun {
  version: string;
  /** When this installation first ran the version (ms since the epoch). */
  firstRunAt: number;
  /** When the notice of a significant change went out here; null when none was due. */
  noticeQueuedAt: number | null;
}

/**
 * CHG-1: when a version comes into force at an installation. A version whose change needed a notice applies no
 * sooner than the notice period after the notice was queued (the longer period, if the old and the new version state
 * different ones); any other version applies when first run. No version applies before the one it follows.
 */
export function inForceAt(
  run: VersionRun,
  content: PolicyContent,
  previous?: { content: PolicyContent; inForceAt: number },
): number {
  let at = run.firstRunAt;
  if (run.noticeQueuedAt !== null) {
    const periods = [noticePeriod(content), ...(previous ? [noticePeriod(previous.content)] : [])];
    const longest = periods.reduce((a, b) => (durationSeconds(b) > durationSeconds(a) ? b : a));
    at = Math.max(at, addDuration(new Date(run.noticeQueuedAt), longest).getTime());
  }
  return Math.max(at, previous?.inForceAt ?? at);
}

/** The model with each version's date of coming into force at this installation, from what it recorded. */
export function withInForceDates(model: PolicyModel, inForce: ReadonlyMap<string, number>): PolicyModel {
  return {
    versions: model.versions.map((v) => {
      const at = inForce.get(v.version);
      return at === undefined ? v : { ...v, inForceFrom: new Date(at).toISOString() };
    }),
  };
}

const hasTakenEffect = (version: PolicyVersion, now: number): boolean =>
  version.inForceFrom === undefined || Date.parse(version.inForceFrom) <= now;

/** The version in force at `now`: the last one whose date has come (the first one, before any has). */
export function versionInForce(model: PolicyModel, now: number = Date.now()): PolicyVersion {
  const inForce = model.versions.filter((v) => hasTakenEffect(v, now));
  return inForce.at(-1) ?? model.versions[0]!;
}

/** CHG-1: versions announced and not yet in force at `now`, oldest first. */
export function upcomingVersions(model: PolicyModel, now: number = Date.now()): PolicyVersion[] {
  const current = versionInForce(model, now);
  return model.versions.slice(model.versions.indexOf(current) + 1);
}

/**
 * The content of the version in force. Whatever decides what is collected or which cookies may be set reads this,
 * so a use of data or a cookie that an announced version adds stays off until that version applies.
 */
export const contentInForce = (model: PolicyModel, now: number = Date.now()): PolicyContent =>
  versionInForce(model, now).content;
