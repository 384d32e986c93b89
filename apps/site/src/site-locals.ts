import type { Language, PolicyModel } from '@parley/policy';

/** What the host passes with each request: the policy of the installation serving the site. */
export interface SiteLocals {
  /** Every version, each with the date it comes into force at this installation (CHG-1). */
  policy: PolicyModel;
  /** The moment the page describes; now, unless a test asks about another. */
  now?: number;
  /** The language of the page, which the site's middleware reads from its address (`/de/…`); English if unset. */
  language?: Language;
}
