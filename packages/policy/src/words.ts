import type { Language } from './language.ts';
import de from './words/de.json' with { type: 'json' };
import en from './words/en.json' with { type: 'json' };

/**
 * Every fixed word of the rendered policy (headings, captions, the sentences around the model's facts), one
 * catalogue per language; what the model itself says comes from the model and `german/`. The German catalogue must
 * have the English one's shape: TypeScript refuses it with a key missing, and `localize.test.ts` refuses a value
 * left in English and a placeholder one language forgets.
 */
export type PolicyWords = typeof en;

export const POLICY_WORDS: Record<Language, PolicyWords> = { en, de };

export const policyWords = (language: Language): PolicyWords => POLICY_WORDS[language];

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
