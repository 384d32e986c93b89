import { describeLegalBasis, describeRetention, subjectNameIn } from './describe.ts';
import { diffPolicies, isSignificant } from './diff.ts';
import { describeDuration } from './duration.ts';
import { cookieTable, dataMap } from './exports.ts';
import { noticePeriod, upcomingVersions, versionInForce } from './installation.ts';
import type { Language } from './language.ts';
import { localizePolicy } from './localize.ts';
import type { PolicyContent, PolicyModel, PolicyPromise, PromiseId, RetentionStore } from './schema.ts';
import { describeSignalRetention } from './signal-retention.ts';
import { fill, policyWords } from './words.ts';

export type PolicyNode =
  | { type: 'paragraph'; text: string }
  | { type: 'promise'; id: PromiseId; title: string; statement: string; beyond: boolean }
  | { type: 'table'; caption: string; columns: string[]; rows: string[][] }
  | { type: 'list'; items: string[] };

export interface PolicySection {
  /** The anchor of the section, e.g. `cookies`. */
  id: string;
  heading: string;
  children: PolicyNode[];
}

/** CHG-1: a version announced and not yet in force, with the day it applies at this installation. */
export interface UpcomingVersion {
  version: string;
  date: string;
  summary: string;
  /** When it comes into force here (an ISO date-time). */
  inForceFrom: string;
  /** The notice of what changes, generated from the diff with the version in force. */
  changes: string[];
}

export interface PolicyDocument {
  title: string;
  /** The version in force. */
  version: string;
  lastUpdated: string;
  /** Versions announced and not yet in force, oldest first. */
  upcoming: UpcomingVersion[];
  sections: PolicySection[];
}

/** The newest version, in force or announced; what an installation publishes and compares against. */
export const latestVersion = (model: PolicyModel) => model.versions[model.versions.length - 1]!;

/** `2026-12-31T09:30:00.000Z` → `2026-12-31`: people read days; the page gives the exact time in a `datetime`. */
export const dayOf = (isoDateTime: string): string => isoDateTime.slice(0, 10);

function upcomingOf(model: PolicyModel, now: number, language: Language): UpcomingVersion[] {
  const inForce = versionInForce(model, now);
  return upcomingVersions(model, now).map((v) => ({
    version: v.version,
    date: v.date,
    summary: v.summary,
    inForceFrom: v.inForceFrom!,
    changes: diffPolicies(inForce.content, v.content, language)
      .filter((c) => c.significance === 'significant')
      .map((c) => c.description),
  }));
}

/** Where a copy with its own retention period is kept, as the data map and the retention table name it. */
export const retentionStoreNames: Record<Language, Record<RetentionStore, string>> = {
  en: {
    outbox: 'in sent mail',
    consent_records: 'in consent records',
    disclosures: 'in the disclosure register',
    mail_limits: 'in the limits on mail to one address',
    pending_signups: 'in sign-ups waiting for their email to be confirmed',
    visitor_blocks: 'in blocks on unwanted visitors',
  },
  de: {
    outbox: 'in gesendeten E-Mails',
    consent_records: 'in Einwilligungsnachweisen',
    disclosures: 'im Offenlegungsregister',
    mail_limits: 'in den Begrenzungen für E-Mails an eine Adresse',
    pending_signups: 'in Registrierungen, deren E-Mail-Adresse noch nicht bestätigt ist',
    visitor_blocks: 'in Sperren unerwünschter Besucher',
  },
};

function promiseNodes(content: PolicyContent, prefix: string): PolicyNode[] {
  return content.promises
    .filter((p: PolicyPromise) => p.id.startsWith(`${prefix}-`))
    .map((p) => ({ type: 'promise', id: p.id, title: p.title, statement: p.statement, beyond: p.beyond }));
}

/** SIG-1: the paragraph on how long a signalling visitor's data is kept, where the version sets a limit. */
function signalRetentionNodes(content: PolicyContent, language: Language): PolicyNode[] {
  const text = describeSignalRetention(content, language);
  return text === null ? [] : [{ type: 'paragraph', text }];
}

const categoryName = (content: PolicyContent, key: string): string =>
  content.categories.find((c) => c.key === key)?.name ?? key;

/**
 * The policy in force at `now` as a document tree that the public site and the admin console both render, with
 * the versions announced to replace it (CHG-1), in `language`: the model's texts from its translations, every
 * other word from the table above. Anchors and ids are the same in every language.
 */
export function renderPolicy(
  englishModel: PolicyModel,
  now: number = Date.now(),
  language: Language = 'en',
): PolicyDocument {
  const model = localizePolicy(englishModel, language);
  const words = policyWords(language);
  const inForce = versionInForce(model, now);
  const content = inForce.content;
  const upcoming = upcomingOf(model, now, language);
  const cookies = cookieTable(content, language);
  const map = dataMap(content, language);
  const subjects = (ids: readonly string[]) => ids.map((id) => subjectNameIn(language)(id)).join(', ');
  const heading = (id: keyof typeof words.headings) => ({ id, heading: words.headings[id] });

  const sections: PolicySection[] = [
    {
      ...heading('about'),
      children: [
        {
          type: 'paragraph',
          text: fill(words.about, { name: content.controller.name, contact: content.controller.contact }),
        },
        ...promiseNodes(content, 'SCP'),
      ],
    },
    {
      ...heading('collection'),
      children: [
        ...promiseNodes(content, 'COL'),
        {
          type: 'table',
          ...words.kindsTable,
          rows: content.categories.map((c) => [
            c.name,
            c.key,
            c.description,
            c.storage === 'stored' ? words.stored : words.neverStored,
          ]),
        },
        {
          type: 'table',
          ...words.regionTable,
          rows: content.regions.available.map((r) => [
            r,
            r === content.regions.installation ? words.storesHere : words.available,
          ]),
        },
      ],
    },
    {
      ...heading('cookies'),
      children: [
        ...promiseNodes(content, 'CK'),
        {
          type: 'table',
          ...words.cookieTable,
          rows: cookies.map((c) => [c.name, words.setBy[c.setBy], c.purpose, c.category, c.retention]),
        },
      ],
    },
    { ...heading('logs'), children: promiseNodes(content, 'LOG') },
    { ...heading('communications'), children: promiseNodes(content, 'COM') },
    {
      ...heading('signals'),
      children: [
        ...promiseNodes(content, 'SIG'),
        { type: 'paragraph', text: content.signals.effect },
        ...signalRetentionNodes(content, language),
      ],
    },
    {
      ...heading('sharing'),
      children: [
        ...promiseNodes(content, 'SHR'),
        {
          type: 'table',
          ...words.processorTable,
          rows: content.processors.map((p) => [
            p.name,
            p.purpose,
            p.region,
            p.categories.map((k) => categoryName(content, k)).join(', '),
          ]),
        },
        { type: 'paragraph', text: fill(words.statistics, { size: content.statistics.minimumGroupSize }) },
      ],
    },
    {
      ...heading('retention'),
      children: [
        ...promiseNodes(content, 'RET'),
        {
          type: 'table',
          ...words.retentionTable,
          rows: content.retention.map((r) => [
            categoryName(content, r.category),
            subjectNameIn(language)(r.subject),
            describeRetention(r.retention, language),
            r.why,
          ]),
        },
        ...signalRetentionNodes(content, language),
        {
          type: 'table',
          ...words.dataMapTable,
          rows: map.map((a) => [
            a.name,
            a.use,
            describeLegalBasis(a.legalBasis, language),
            subjects(a.subjects),
            a.categories.map((c) => categoryName(content, c.key)).join(', '),
            a.processors.map((p) => p.name).join(', ') || words.none,
          ]),
        },
      ],
    },
    {
      ...heading('rights'),
      children: [
        {
          type: 'table',
          ...words.rightsTable,
          rows: content.rights.map((r) => [
            r.name,
            subjects(r.subjects),
            r.how,
            r.answeredWithin === 'P0D' ? words.atOnce : describeDuration(r.answeredWithin, language),
          ]),
        },
      ],
    },
    { ...heading('security'), children: promiseNodes(content, 'SEC') },
    {
      ...heading('children'),
      children: [
        ...promiseNodes(content, 'KID'),
        { type: 'paragraph', text: fill(words.minimumAge, { age: content.children.minimumAge }) },
      ],
    },
    {
      ...heading('changes'),
      children: [
        ...promiseNodes(content, 'CHG'),
        {
          type: 'paragraph',
          text: fill(words.noticePeriod, { period: describeDuration(noticePeriod(content), language) }),
        },
        ...upcoming.map(
          (v): PolicyNode => ({
            type: 'paragraph',
            text: fill(words.announced, {
              version: v.version,
              day: dayOf(v.inForceFrom),
              inForce: inForce.version,
              summary: v.summary,
            }),
          }),
        ),
        {
          type: 'table',
          ...words.versionTable,
          rows: versionHistory(model, now)
            .reverse()
            .map((v) => [
              v.version,
              v.date,
              words.kinds[v.significance],
              v.status === 'upcoming'
                ? fill(words.appliesFrom, { day: dayOf(v.inForceFrom!) })
                : words.status[v.status],
              v.summary,
            ]),
        },
      ],
    },
  ];

  return {
    title: words.title,
    version: inForce.version,
    lastUpdated: inForce.date,
    upcoming,
    sections,
  };
}

export interface VersionEntry {
  version: string;
  date: string;
  summary: string;
  /** Derived from the diff with the version before; never typed in. */
  significance: 'first' | 'significant' | 'minor';
  /** At this installation, at the moment asked about. */
  status: 'superseded' | 'in_force' | 'upcoming';
  /** When it came or comes into force here, if the installation recorded it. */
  inForceFrom?: string;
}

export function versionHistory(model: PolicyModel, now: number = Date.now()): VersionEntry[] {
  const inForce = model.versions.indexOf(versionInForce(model, now));
  return model.versions.map((v, i) => {
    const previous = model.versions[i - 1];
    const significance =
      previous === undefined
        ? 'first'
        : isSignificant(diffPolicies(previous.content, v.content))
          ? 'significant'
          : 'minor';
    const status = i < inForce ? 'superseded' : i === inForce ? 'in_force' : 'upcoming';
    return {
      version: v.version,
      date: v.date,
      summary: v.summary,
      significance,
      status,
      ...(v.inForceFrom ? { inForceFrom: v.inForceFrom } : {}),
    };
  });
}
