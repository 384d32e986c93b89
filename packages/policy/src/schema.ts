import { z } from 'zod';
import { IsoDuration } from './duration.ts';
import { PROMISE_IDS } from './promise-ids.ts';

/** A dotted fideslang key (`user.contact.email`); whether it exists in the taxonomy is checked in `validatePolicy`. */
const TaxonomyKey = z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, { message: 'must be a dotted taxonomy key' });

export const SubjectId = z.enum(['account_holder', 'agent', 'visitor', 'operator_staff']);
export type SubjectId = z.infer<typeof SubjectId>;

export const RegionCode = z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' });
export type RegionCode = z.infer<typeof RegionCode>;

export const LegalBasis = z.enum([
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
]);
export type LegalBasis = z.infer<typeof LegalBasis>;

export const PromiseId = z.enum(PROMISE_IDS);
export type PromiseId = z.infer<typeof PromiseId>;

export const Subject = z.object({
  id: SubjectId,
  fidesKey: TaxonomyKey,
  name: z.string().min(1),
  description: z.string().min(1),
});
export type Subject = z.infer<typeof Subject>;

/** A taxonomy key Parley needs that fideslang lacks; it must hang under an existing fideslang key. */
export const CategoryExtension = z.object({
  key: TaxonomyKey,
  parent: TaxonomyKey,
  name: z.string().min(1),
  why: z.string().min(1),
});
export type CategoryExtension = z.infer<typeof CategoryExtension>;

export const DataCategory = z.object({
  key: TaxonomyKey,
  name: z.string().min(1),
  description: z.string().min(1),
  /** `stored`: some column holds it. `never_stored`: Parley refuses it, and deletes it if it arrives (children's data). */
  storage: z.enum(['stored', 'never_stored']),
});
export type DataCategory = z.infer<typeof DataCategory>;

/** What starts a retention clock. `collected` is the moment the row is written. */
export const RetentionEvent = z.enum([
  'collected',
  'last_activity',
  'conversation_closed',
  'account_closed',
  'agent_removed',
  'session_ended',
  'request_completed',
  'sent',
]);
export type RetentionEvent = z.infer<typeof RetentionEvent>;

export const Retention = z.object({
  after: RetentionEvent,
  keep: IsoDuration,
});
export type Retention = z.infer<typeof Retention>;

/** Where a copy of the data is kept, when that store keeps it for its own period (e.g. mail in the outbox). */
export const RetentionStore = z.enum([
  'outbox',
  'consent_records',
  'disclosures',
  'mail_limits',
  'pending_signups',
  'visitor_blocks',
]);
export type RetentionStore = z.infer<typeof RetentionStore>;

export const RetentionRule = z.object({
  category: TaxonomyKey,
  subject: SubjectId,
  /** Absent: the rule for the category wherever it is kept, unless a store has a rule of its own. */
  store: RetentionStore.optional(),
  retention: Retention,
  why: z.string().min(1),
});
export type RetentionRule = z.infer<typeof RetentionRule>;

export const ProcessingActivity = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: z.string().min(1),
  use: TaxonomyKey,
  legalBasis: LegalBasis,
  subjects: z.array(SubjectId).min(1),
  categories: z.array(TaxonomyKey).min(1),
  processors: z.array(z.string()),
  description: z.string().min(1),
});
export type ProcessingActivity = z.infer<typeof ProcessingActivity>;

export const Processor = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(1),
  purpose: z.string().min(1),
  region: RegionCode,
  categories: z.array(TaxonomyKey).min(1),
});
export type Processor = z.infer<typeof Processor>;

export const CookieCategory = z.enum(['strictly_necessary', 'preferences', 'analytics', 'marketing']);
export type CookieCategory = z.infer<typeof CookieCategory>;

/** `session` ends when the browser closes; otherwise an ISO 8601 duration from when it is set. */
export const CookieLifetime = z.union([z.literal('session'), IsoDuration]);
export type CookieLifetime = z.infer<typeof CookieLifetime>;

export const CookieDeclaration = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'cookie names are lower-case tokens' }),
  promise: PromiseId,
  purpose: z.string().min(1),
  category: CookieCategory,
  lifetime: CookieLifetime,
  /** Who sets it: the chat server (a `Set-Cookie` header on its own origin) or the widget (on the customer's site). */
  setBy: z.enum(['server', 'widget']),
  subject: SubjectId,
  /** What the value holds, in words; values are never logged. */
  holds: z.string().min(1),
  dataCategory: TaxonomyKey,
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.enum(['Strict', 'Lax', 'None']),
  path: z.string().startsWith('/'),
  /** Whether it outlives signing out (CK-2) or opting out (CK-4). */
  survivesSignOut: z.boolean(),
});
export type CookieDeclaration = z.infer<typeof CookieDeclaration>;

export const RightId = z.enum([
  'access',
  'export',
  'rectification',
  'erasure',
  'object_to_marketing',
  'withdraw_consent',
  'complain',
]);
export type RightId = z.infer<typeof RightId>;

export const Right = z.object({
  id: RightId,
  name: z.string().min(1),
  subjects: z.array(SubjectId).min(1),
  how: z.string().min(1),
  /** How long Parley's tools allow before the request must be answered. */
  answeredWithin: IsoDuration,
});
export type Right = z.infer<typeof Right>;

export const PolicyPromise = z.object({
  id: PromiseId,
  title: z.string().min(1),
  statement: z.string().min(1),
  /** Whether Parley goes beyond what the 2014 policy promised. */
  beyond: z.boolean(),
  /** Repository paths of the code that keeps the promise. */
  enforcedBy: z.array(z.string().min(1)).min(1),
});
export type PolicyPromise = z.infer<typeof PolicyPromise>;

export const PolicyContent = z.object({
  controller: z.object({
    name: z.string().min(1),
    contact: z.string().min(1),
  }),
  regions: z.object({
    available: z.array(RegionCode).min(1),
    installation: RegionCode,
  }),
  subjects: z.array(Subject).min(1),
  extensions: z.array(CategoryExtension),
  categories: z.array(DataCategory).min(1),
  activities: z.array(ProcessingActivity).min(1),
  retention: z.array(RetentionRule).min(1),
  processors: z.array(Processor),
  cookies: z.array(CookieDeclaration),
  rights: z.array(Right),
  children: z.object({ minimumAge: z.number().int().min(13) }),
  signals: z.object({
    globalPrivacyControl: z.literal('honoured'),
    doNotTrack: z.literal('honoured'),
    effect: z.string().min(1),
    /**
     * SIG-1: the longest anything about a visitor who sent a signal is kept for running the chat: each retention
     * period applies from its usual starting point, but ends after this at the latest. Records the law requires
     * (consent proofs, data subject requests) keep their own periods. Versions before 1.3.0 set no such limit.
     */
    keepAtMost: IsoDuration.optional(),
  }),
  statistics: z.object({ minimumGroupSize: z.number().int().min(2) }),
  requestDeadline: IsoDuration,
  /**
   * CHG-1: how long before a significant change applies its notice goes out. Absent: `DEFAULT_NOTICE_PERIOD`.
   */
  noticePeriod: IsoDuration.optional(),
  promises: z.array(PolicyPromise),
});
export type PolicyContent = z.infer<typeof PolicyContent>;

export const SemVer = z.string().regex(/^\d+\.\d+\.\d+$/, { message: 'must be a version such as 1.2.0' });

export const PolicyVersion = z.object({
  version: SemVer,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date such as 2026-11-29' }),
  summary: z.string().min(1),
  content: PolicyContent,
  /**
   * CHG-1: when this version is in force at the installation the model describes, set from what the installation
   * recorded when it first ran the version (`withInForceDates`). Absent: in force as soon as it is published.
   */
  inForceFrom: z.iso.datetime().optional(),
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

/**
 * The whole policy: every published version, oldest first. The last one whose `inForceFrom` has come is in force;
 * any after it are announced and not yet in force.
 */
export const PolicyModel = z.object({
  versions: z.array(PolicyVersion).min(1),
});
export type PolicyModel = z.infer<typeof PolicyModel>;
