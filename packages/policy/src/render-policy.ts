import { describeRetention } from './describe.ts';
import { diffPolicies, isSignificant } from './diff.ts';
import { describeDuration } from './duration.ts';
import { cookieTable, dataMap } from './exports.ts';
import { noticePeriod, upcomingVersions, versionInForce } from './installation.ts';
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

function upcomingOf(model: PolicyModel, now: number): UpcomingVersion[] {
  const inForce = versionInForce(model, now);
  return upcomingVersions(model, now).map((v) => ({
    version: v.version,
    date: v.date,
    summary: v.summary,
    inForceFrom: v.inForceFrom!,
    changes: diffPolicies(inForce.content, v.content)
      .filter((c) => c.significance === 'significant')
      .map((c) => c.description),
  }));
}

const SUBJECT_NAMES: Record<string, string> = {
  account_holder: 'Account holders',
  agent: 'Agents',
  visitor: 'Visitors',
  operator_staff: 'Operator staff',
};
export const retentionStoreNames: Record<RetentionStore, string> = {
  outbox: 'in sent mail',
  consent_records: 'in consent records',
  disclosures: 'in the disclosure register',
  mail_limits: 'in the limits on mail to one address',
  pending_signups: 'in sign-ups waiting for their email to be confirmed',
};

export const subjectName = (id: string): string => SUBJECT_NAMES[id] ?? id;

function promiseNodes(content: PolicyContent, prefix: string): PolicyNode[] {
  return content.promises
    .filter((p: PolicyPromise) => p.id.startsWith(`${prefix}-`))
    .map((p) => ({ type: 'promise', id: p.id, title: p.title, statement: p.statement, beyond: p.beyond }));
}

/** SIG-1: the paragraph on how long a signalling visitor's data is kept, where the version sets a limit. */
function signalRetentionNodes(content: PolicyContent): PolicyNode[] {
  const text = describeSignalRetention(content);
  return text === null ? [] : [{ type: 'paragraph', text }];
}

const categoryName = (content: PolicyContent, key: string): string =>
  content.categories.find((c) => c.key === key)?.name ?? key;

/**
 * The policy in force at `now` as a document tree that the public site and the admin console both render, with
 * the versions announced to replace it (CHG-1).
 */
export function renderPolicy(model: PolicyModel, now: number = Date.now()): PolicyDocument {
  const inForce = versionInForce(model, now);
  const content = inForce.content;
  const upcoming = upcomingOf(model, now);
  const cookies = cookieTable(content);
  const map = dataMap(content);

  const sections: PolicySection[] = [
    {
      id: 'about',
      heading: 'About this policy',
      children: [
        {
          type: 'paragraph',
          text: `${content.controller.name} runs this Parley installation and is responsible for the personal data it processes. Write to ${content.controller.contact} with any question about this policy. Each promise below has a number; the code that keeps it and the test that proves it carry the same number.`,
        },
        ...promiseNodes(content, 'SCP'),
      ],
    },
    {
      id: 'collection',
      heading: 'What we collect',
      children: [
        ...promiseNodes(content, 'COL'),
        {
          type: 'table',
          caption: 'Kinds of personal data',
          columns: ['Data', 'Taxonomy key', 'What it is', 'Stored'],
          rows: content.categories.map((c) => [
            c.name,
            c.key,
            c.description,
            c.storage === 'stored' ? 'Yes' : 'Never',
          ]),
        },
        {
          type: 'table',
          caption: 'Processing regions',
          columns: ['Region', 'Role'],
          rows: content.regions.available.map((r) => [
            r,
            r === content.regions.installation
              ? 'This installation stores its data here'
              : 'Available to installations and processors',
          ]),
        },
      ],
    },
    {
      id: 'cookies',
      heading: 'Cookies',
      children: [
        ...promiseNodes(content, 'CK'),
        {
          type: 'table',
          caption: 'Every cookie Parley can set',
          columns: ['Cookie', 'Set by', 'Purpose', 'Category', 'Lifetime'],
          rows: cookies.map((c) => [c.name, c.setBy, c.purpose, c.category, c.retention]),
        },
      ],
    },
    { id: 'logs', heading: 'Logs and usage data', children: promiseNodes(content, 'LOG') },
    { id: 'communications', heading: 'Email from us', children: promiseNodes(content, 'COM') },
    {
      id: 'signals',
      heading: 'Global Privacy Control and Do Not Track',
      children: [
        ...promiseNodes(content, 'SIG'),
        { type: 'paragraph', text: content.signals.effect },
        ...signalRetentionNodes(content),
      ],
    },
    {
      id: 'sharing',
      heading: 'Who receives data',
      children: [
        ...promiseNodes(content, 'SHR'),
        {
          type: 'table',
          caption: 'Processors',
          columns: ['Processor', 'Purpose', 'Region', 'Receives only'],
          rows: content.processors.map((p) => [
            p.name,
            p.purpose,
            p.region,
            p.categories.map((k) => categoryName(content, k)).join(', '),
          ]),
        },
        {
          type: 'paragraph',
          text: `Statistics are published only over groups of at least ${content.statistics.minimumGroupSize} people.`,
        },
      ],
    },
    {
      id: 'retention',
      heading: 'How long we keep data',
      children: [
        ...promiseNodes(content, 'RET'),
        {
          type: 'table',
          caption: 'Retention periods',
          columns: ['Data', 'About', 'Kept for', 'Why'],
          rows: content.retention.map((r) => [
            categoryName(content, r.category),
            subjectName(r.subject),
            describeRetention(r.retention),
            r.why,
          ]),
        },
        ...signalRetentionNodes(content),
        {
          type: 'table',
          caption: 'Data map',
          columns: ['Activity', 'Use', 'Legal basis', 'About', 'Data', 'Processors'],
          rows: map.map((a) => [
            a.name,
            a.use,
            a.legalBasis.replaceAll('_', ' '),
            a.subjects.map(subjectName).join(', '),
            a.categories.map((c) => categoryName(content, c.key)).join(', '),
            a.processors.map((p) => p.name).join(', ') || 'None',
          ]),
        },
      ],
    },
    {
      id: 'rights',
      heading: 'Your rights',
      children: [
        {
          type: 'table',
          caption: 'Rights and how to use them',
          columns: ['Right', 'Who', 'How', 'Answered within'],
          rows: content.rights.map((r) => [
            r.name,
            r.subjects.map(subjectName).join(', '),
            r.how,
            r.answeredWithin === 'P0D' ? 'At once' : describeDuration(r.answeredWithin),
          ]),
        },
      ],
    },
    { id: 'security', heading: 'Security', children: promiseNodes(content, 'SEC') },
    {
      id: 'children',
      heading: 'Children',
      children: [
        ...promiseNodes(content, 'KID'),
        { type: 'paragraph', text: `Minimum age: ${content.children.minimumAge}.` },
      ],
    },
    {
      id: 'changes',
      heading: 'Changes to this policy',
      children: [
        ...promiseNodes(content, 'CHG'),
        {
          type: 'paragraph',
          text: `A significant change applies no sooner than ${describeDuration(noticePeriod(content))} after its notice is sent; until then the version before it stays in force.`,
        },
        ...upcoming.map(
          (v): PolicyNode => ({
            type: 'paragraph',
            text: `Version ${v.version} is announced and applies from ${dayOf(v.inForceFrom)}; until then version ${inForce.version} is in force. ${v.summary}`,
          }),
        ),
        {
          type: 'table',
          caption: 'Versions',
          columns: ['Version', 'Date', 'Kind', 'Status', 'Summary'],
          rows: versionHistory(model, now)
            .reverse()
            .map((v) => [
              v.version,
              v.date,
              v.significance === 'first'
                ? 'First version'
                : v.significance === 'significant'
                  ? 'Significant'
                  : 'Minor',
              STATUS_NAMES[v.status](v),
              v.summary,
            ]),
        },
      ],
    },
  ];

  return {
    title: 'Privacy policy',
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

const STATUS_NAMES: Record<VersionEntry['status'], (v: VersionEntry) => string> = {
  superseded: () => 'Replaced',
  in_force: () => 'In force',
  upcoming: (v) => `Applies from ${dayOf(v.inForceFrom!)}`,
};

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
