import { describeLegalBasis, describeRetention, subjectNameIn } from './describe.ts';
import { diffPolicies, isSignificant } from './diff.ts';
import { describeDuration } from './duration.ts';
import { cookieTable, dataMap } from './exports.ts';
import { noticePeriod, upcomingVersions, versionInForce } from './installation.ts';
import { type Language, wordsIn } from './language.ts';
import { localizePolicy } from './localize.ts';
import type { PolicyContent, PolicyModel, PolicyPromise, PromiseId, RetentionStore } from './schema.ts';
import { describeSignalRetention } from './signal-retention.ts';

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
  },
  de: {
    outbox: 'in gesendeten E-Mails',
    consent_records: 'in Einwilligungsnachweisen',
    disclosures: 'im Offenlegungsregister',
    mail_limits: 'in den Begrenzungen für E-Mails an eine Adresse',
    pending_signups: 'in Registrierungen, deren E-Mail-Adresse noch nicht bestätigt ist',
  },
};

/** The sections of the policy, in the order it reads, each heading in both languages. */
const SECTION_HEADINGS = {
  about: { en: 'About this policy', de: 'Über diese Datenschutzerklärung' },
  collection: { en: 'What we collect', de: 'Welche Daten wir erheben' },
  cookies: { en: 'Cookies', de: 'Cookies' },
  logs: { en: 'Logs and usage data', de: 'Protokolle und Nutzungsdaten' },
  communications: { en: 'Email from us', de: 'E-Mails von uns' },
  signals: { en: 'Global Privacy Control and Do Not Track', de: 'Global Privacy Control und Do Not Track' },
  sharing: { en: 'Who receives data', de: 'Wer Daten erhält' },
  retention: { en: 'How long we keep data', de: 'Wie lange wir Daten speichern' },
  rights: { en: 'Your rights', de: 'Ihre Rechte' },
  security: { en: 'Security', de: 'Sicherheit' },
  children: { en: 'Children', de: 'Kinder' },
  changes: { en: 'Changes to this policy', de: 'Änderungen dieser Datenschutzerklärung' },
} satisfies Record<string, Record<Language, string>>;

/** Every fixed word of the rendered policy, in both languages; what the model says comes from the model. */
const WORDS = {
  title: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  about: {
    en: (name: string, contact: string) =>
      `${name} runs this Parley installation and is responsible for the personal data it processes. Write to ${contact} with any question about this policy. Each promise below has a number; the code that keeps it and the test that proves it carry the same number.`,
    de: (name: string, contact: string) =>
      `${name} betreibt diese Parley-Installation und ist Verantwortlicher im Sinne der DSGVO für die personenbezogenen Daten, die sie verarbeitet. Mit Fragen zu dieser Datenschutzerklärung wenden Sie sich bitte an ${contact}. Jedes der folgenden Versprechen trägt eine Nummer; der Code, der es einhält, und der Test, der es belegt, tragen dieselbe Nummer.`,
  },
  kindsTable: {
    en: { caption: 'Kinds of personal data', columns: ['Data', 'Taxonomy key', 'What it is', 'Stored'] },
    de: {
      caption: 'Arten personenbezogener Daten',
      columns: ['Daten', 'Taxonomie-Schlüssel', 'Was sie sind', 'Gespeichert'],
    },
  },
  stored: { en: 'Yes', de: 'Ja' },
  neverStored: { en: 'Never', de: 'Nie' },
  regionTable: {
    en: { caption: 'Processing regions', columns: ['Region', 'Role'] },
    de: { caption: 'Verarbeitungsregionen', columns: ['Region', 'Rolle'] },
  },
  storesHere: {
    en: 'This installation stores its data here',
    de: 'Diese Installation speichert ihre Daten hier',
  },
  available: {
    en: 'Available to installations and processors',
    de: 'Verfügbar für Installationen und Auftragsverarbeiter',
  },
  cookieTable: {
    en: {
      caption: 'Every cookie Parley can set',
      columns: ['Cookie', 'Set by', 'Purpose', 'Category', 'Lifetime'],
    },
    de: {
      caption: 'Jedes Cookie, das Parley setzen kann',
      columns: ['Cookie', 'Gesetzt von', 'Zweck', 'Kategorie', 'Lebensdauer'],
    },
  },
  setBy: { en: { server: 'server', widget: 'widget' }, de: { server: 'Server', widget: 'Widget' } },
  processorTable: {
    en: { caption: 'Processors', columns: ['Processor', 'Purpose', 'Region', 'Receives only'] },
    de: { caption: 'Auftragsverarbeiter', columns: ['Auftragsverarbeiter', 'Zweck', 'Region', 'Erhält nur'] },
  },
  statistics: {
    en: (size: number) => `Statistics are published only over groups of at least ${size} people.`,
    de: (size: number) =>
      `Statistiken werden nur über Gruppen von mindestens ${size} Personen veröffentlicht.`,
  },
  retentionTable: {
    en: { caption: 'Retention periods', columns: ['Data', 'About', 'Kept for', 'Why'] },
    de: { caption: 'Speicherfristen', columns: ['Daten', 'Betrifft', 'Gespeichert für', 'Grund'] },
  },
  dataMapTable: {
    en: { caption: 'Data map', columns: ['Activity', 'Use', 'Legal basis', 'About', 'Data', 'Processors'] },
    de: {
      caption: 'Datenübersicht',
      columns: ['Tätigkeit', 'Verwendung', 'Rechtsgrundlage', 'Betrifft', 'Daten', 'Auftragsverarbeiter'],
    },
  },
  none: { en: 'None', de: 'Keine' },
  rightsTable: {
    en: { caption: 'Rights and how to use them', columns: ['Right', 'Who', 'How', 'Answered within'] },
    de: {
      caption: 'Ihre Rechte und wie Sie sie ausüben',
      columns: ['Recht', 'Wer', 'Wie', 'Beantwortet innerhalb von'],
    },
  },
  atOnce: { en: 'At once', de: 'Sofort' },
  minimumAge: {
    en: (age: number) => `Minimum age: ${age}.`,
    de: (age: number) => `Mindestalter: ${age} Jahre.`,
  },
  noticePeriod: {
    en: (period: string) =>
      `A significant change applies no sooner than ${period} after its notice is sent; until then the version before it stays in force.`,
    de: (period: string) =>
      `Eine wesentliche Änderung gilt frühestens ${period} nach Versand ihrer Ankündigung; bis dahin bleibt die vorherige Version in Kraft.`,
  },
  announced: {
    en: (version: string, day: string, inForce: string, summary: string) =>
      `Version ${version} is announced and applies from ${day}; until then version ${inForce} is in force. ${summary}`,
    de: (version: string, day: string, inForce: string, summary: string) =>
      `Version ${version} ist angekündigt und gilt ab dem ${day}; bis dahin ist Version ${inForce} in Kraft. ${summary}`,
  },
  versionTable: {
    en: { caption: 'Versions', columns: ['Version', 'Date', 'Kind', 'Status', 'Summary'] },
    de: { caption: 'Versionen', columns: ['Version', 'Datum', 'Art', 'Status', 'Zusammenfassung'] },
  },
  kinds: {
    en: { first: 'First version', significant: 'Significant', minor: 'Minor' },
    de: { first: 'Erste Version', significant: 'Wesentlich', minor: 'Geringfügig' },
  },
  status: {
    en: { superseded: 'Replaced', in_force: 'In force' },
    de: { superseded: 'Ersetzt', in_force: 'In Kraft' },
  },
  appliesFrom: {
    en: (day: string) => `Applies from ${day}`,
    de: (day: string) => `Gilt ab dem ${day}`,
  },
} satisfies Record<string, Record<Language, unknown>>;

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
  const words = wordsIn(WORDS, language);
  const inForce = versionInForce(model, now);
  const content = inForce.content;
  const upcoming = upcomingOf(model, now, language);
  const cookies = cookieTable(content, language);
  const map = dataMap(content, language);
  const subjects = (ids: readonly string[]) => ids.map((id) => subjectNameIn(language)(id)).join(', ');
  const heading = (id: keyof typeof SECTION_HEADINGS) => ({ id, heading: SECTION_HEADINGS[id][language] });

  const sections: PolicySection[] = [
    {
      ...heading('about'),
      children: [
        { type: 'paragraph', text: words.about(content.controller.name, content.controller.contact) },
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
        { type: 'paragraph', text: words.statistics(content.statistics.minimumGroupSize) },
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
        { type: 'paragraph', text: words.minimumAge(content.children.minimumAge) },
      ],
    },
    {
      ...heading('changes'),
      children: [
        ...promiseNodes(content, 'CHG'),
        { type: 'paragraph', text: words.noticePeriod(describeDuration(noticePeriod(content), language)) },
        ...upcoming.map(
          (v): PolicyNode => ({
            type: 'paragraph',
            text: words.announced(v.version, dayOf(v.inForceFrom), inForce.version, v.summary),
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
              v.status === 'upcoming' ? words.appliesFrom(dayOf(v.inForceFrom!)) : words.status[v.status],
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
