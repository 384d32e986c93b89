import type { Lang } from './language-choice.ts';
import { en } from './languages/en.ts';
import type { Strings } from './strings.ts';

// The one language a chat bundle speaks. scripts/build.ts builds chat.js once per language and puts that
// language's table in place of this module, so a visitor downloads only their own words; under Node (tests,
// type checks) it is English.

export const CHAT_LANGUAGE: Lang = 'en';
export const CHAT_STRINGS: Strings = en;
