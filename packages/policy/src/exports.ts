import { describeLifetime, describeRetention } from './describe.ts';
import type { Language } from './language.ts';
import type {
  CookieCategory,
  LegalBasis,
  PolicyContent,
  PolicyModel,
  Processor,
  RegionCode,
  Retention,
  RetentionStore,
  SubjectId,
} from './schema.ts';

/** The Open Cookie Database's category names; the German ones are those German cookie notices use. */
const COOKIE_WORDS: Record<
  Language,
  { categories: Record<CookieCategory, string>; widget: string; server: string; holds: string }
> = {
  en: {
    categories: {
      strictly_necessary: 'Functional',
      preferences: 'Preferences',
      analytics: 'Analytics',
      marketing: 'Marketing',
    },
    widget: 'The website that embeds the widget',
    server: 'The Parley server',
    holds: 'Holds:',
  },
  de: {
    categories: {
      strictly_necessary: 'Technisch notwendig',
      preferences: 'Präferenzen',
      analytics: 'Statistik',
      marketing: 'Marketing',
    },
    widget: 'Die Website, die das Widget einbindet',
    server: 'Der Parley-Server',
    holds: 'Enthält:',
  },
};

/** One row per cookie, in the columns of the Open Cookie Database, plus the attributes Parley enforces (CK-6). */
export interface CookieTableRow {
  id: string;
  platform: 'Parley';
  category: string;
  name: string;
  domain: string;
  description: string;
  retention: string;
  dataController: string;
  privacyPortal: string;
  wildcardMatch: 0;
  // Parley's own columns.
  purpose: string;
  promise: string;
  setBy: 'server' | 'widget';
  lifetime: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: string;
  path: string;
}

/**
 * The rows in `language`; the JSON and CSV downloads stay in English, the columns other privacy tools read. Give it
 * content localized into the same language (`localizeContent`) for the purposes too.
 */
export function cookieTable(content: PolicyContent, language: Language = 'en'): CookieTableRow[] {
  const words = COOKIE_WORDS[language];
  return content.cookies.map((cookie) => ({
    id: `parley-${cookie.name}`,
    platform: 'Parley',
    category: words.categories[cookie.category],
    name: cookie.name,
    domain: cookie.setBy === 'widget' ? words.widget : words.server,
    description: `${cookie.purpose} ${words.holds} ${cookie.holds}`,
    retention: describeLifetime(cookie.lifetime, language),
    dataController: content.controller.name,
    privacyPortal: `/privacy#${cookie.promise}`,
    wildcardMatch: 0,
    purpose: cookie.purpose,
    promise: cookie.promise,
    setBy: cookie.setBy,
    lifetime: cookie.lifetime,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    sameSite: cookie.sameSite,
    path: cookie.path,
  }));
}

const OCD_COLUMNS: Array<[keyof CookieTableRow, string]> = [
  ['id', 'ID'],
  ['platform', 'Platform'],
  ['category', 'Category'],
  ['name', 'Cookie / Data Key name'],
  ['domain', 'Domain'],
  ['description', 'Description'],
  ['retention', 'Retention period'],
  ['dataController', 'Data Controller'],
  ['privacyPortal', 'User Privacy & GDPR Rights Portals'],
  ['wildcardMatch', 'Wildcard match'],
  ['promise', 'Promise'],
  ['lifetime', 'Lifetime (ISO 8601)'],
  ['httpOnly', 'HttpOnly'],
  ['secure', 'Secure'],
  ['sameSite', 'SameSite'],
  ['path', 'Path'],
];

const csvField = (value: unknown): string => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * The cookie declarations as CSV (RFC 4180), for customers to paste into their own cookie notice (CK-6). The header
 * row keeps the Open Cookie Database's column names in every language, so that tools can read it.
 */
export function cookieTableCsv(content: PolicyContent, language: Language = 'en'): string {
  const rows = cookieTable(content, language).map((row) =>
    OCD_COLUMNS.map(([key]) => csvField(row[key])).join(','),
  );
  return `${[OCD_COLUMNS.map(([, title]) => csvField(title)).join(','), ...rows].join('\r\n')}\r\n`;
}

export interface DataMapEntry {
  activity: string;
  name: string;
  use: string;
  legalBasis: LegalBasis;
  subjects: SubjectId[];
  categories: Array<{
    key: string;
    retention: Array<{ subject: SubjectId; store?: RetentionStore; retention: Retention; text: string }>;
  }>;
  regions: RegionCode[];
  processors: Processor[];
}

/** Per processing activity: categories, subjects, use, legal basis, retention, regions and processors. */
export function dataMap(content: PolicyContent, language: Language = 'en'): DataMapEntry[] {
  return content.activities.map((activity) => {
    const processors = content.processors.filter((p) => activity.processors.includes(p.id));
    const regions = [...new Set([content.regions.installation, ...processors.map((p) => p.region)])];
    return {
      activity: activity.id,
      name: activity.name,
      use: activity.use,
      legalBasis: activity.legalBasis,
      subjects: activity.subjects,
      categories: activity.categories.map((key) => ({
        key,
        retention: content.retention
          .filter((rule) => rule.category === key && activity.subjects.includes(rule.subject))
          .map((rule) => ({
            subject: rule.subject,
            ...(rule.store ? { store: rule.store } : {}),
            retention: rule.retention,
            text: describeRetention(rule.retention, language),
          })),
      })),
      regions,
      processors,
    };
  });
}

/** The whole model as JSON, for other privacy tools to read. */
export const policyJson = (model: PolicyModel): string => `${JSON.stringify(model, null, 2)}\n`;
