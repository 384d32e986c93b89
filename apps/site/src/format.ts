import type { PolicyContent } from '@parley/policy';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const dates = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** `DE` → "Germany": the policy lists ISO 3166 codes, people read names. */
export const regionName = (code: string): string => regionNames.of(code) ?? code;

/** `2026-11-29` → "29 November 2026". */
export const formatDate = (isoDate: string): string => dates.format(new Date(`${isoDate}T00:00:00Z`));

/** `legitimate_interests` → "Legitimate interests". */
export const legalBasisName = (basis: string): string => {
  const words = basis.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const categoryName = (content: PolicyContent, key: string): string =>
  content.categories.find((category) => category.key === key)?.name ?? key;

export const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');
