import { describeRetention } from './describe.ts';
import { diffPolicies, isSignificant } from './diff.ts';
import { describeDuration } from './duration.ts';
import { cookieTable, dataMap } from './exports.ts';
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

export interface PolicyDocument {
  title: string;
  version: string;
  lastUpdated: string;
  sections: PolicySection[];
}

export const latestVersion = (model: PolicyModel) => model.versions[model.versions.length - 1]!;

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
};

export const subjectName = (id: string): string => SUBJECT_NAMES[id] ?? id;

function promiseNodes(content: PolicyContent, prefix: string): PolicyNode[] {
  return content.promises
    .filter((p: PolicyPromise) => p.id.startsWith(`${prefix}-`))
    .map((p) => ({ type: 'promise', id: p.id, title: p.title, statement: p.statement, beyond: p.beyond }));
}

const categoryName = (content: PolicyContent, key: string): string =>
  content.categories.find((c) => c.key === key)?.name ?? key;

/** The policy as a document tree that the public site and the admin console both render. */
export function renderPolicy(model: PolicyModel): PolicyDocument {
  const latest = latestVersion(model);
  const content = latest.content;
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
        { type: 'paragraph', text: describeSignalRetention(content) },
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
        { type: 'paragraph', text: describeSignalRetention(content) },
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
          type: 'table',
          caption: 'Versions',
          columns: ['Version', 'Date', 'Kind', 'Summary'],
          rows: versionHistory(model)
            .reverse()
            .map((v) => [
              v.version,
              v.date,
              v.significance === 'first'
                ? 'First version'
                : v.significance === 'significant'
                  ? 'Significant'
                  : 'Minor',
              v.summary,
            ]),
        },
      ],
    },
  ];

  return { title: 'Privacy policy', version: latest.version, lastUpdated: latest.date, sections };
}

export interface VersionEntry {
  version: string;
  date: string;
  summary: string;
  /** Derived from the diff with the version before; never typed in. */
  significance: 'first' | 'significant' | 'minor';
}

export function versionHistory(model: PolicyModel): VersionEntry[] {
  return model.versions.map((v, i) => {
    const previous = model.versions[i - 1];
    const significance =
      previous === undefined
        ? 'first'
        : isSignificant(diffPolicies(previous.content, v.content))
          ? 'significant'
          : 'minor';
    return { version: v.version, date: v.date, summary: v.summary, significance };
  });
}
