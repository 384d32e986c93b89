import { fill, type Language } from '@parley/policy';
import de from './messages/de.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };

/**
 * Every word the site itself writes (what the policy says comes from the policy model), one catalogue per language,
 * grouped by the page or part that shows it. The German catalogue must have the English one's shape: TypeScript
 * refuses it with a key missing, and `messages.test.ts` refuses a key either lacks, a value left in English and a
 * placeholder one language forgets.
 */
export type Messages = typeof en;

export const CATALOGUES: Record<Language, Messages> = { en, de };

export const messagesIn = (language: Language): Messages => CATALOGUES[language];

/** The policy's own `{placeholder}` filler, so that pages and the policy fill the same way. */
export { fill };

/** The form of a counted phrase for `count`; both languages here need only one and other. */
export const counted = (forms: { one: string; other: string }, count: number): string =>
  fill(count === 1 ? forms.one : forms.other, { count });
