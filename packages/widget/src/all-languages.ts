import type { Lang } from './language-choice.ts';
import { de } from './languages/de.ts';
import { en } from './languages/en.ts';
import { es } from './languages/es.ts';
import { fr } from './languages/fr.ts';
import { it } from './languages/it.ts';
import { nl } from './languages/nl.ts';
import { pl } from './languages/pl.ts';
import { pt } from './languages/pt.ts';
import type { Strings } from './strings.ts';

// Every language's table together, for tests and for the server's tests to name what a visitor reads. No bundle
// imports this module: each chat bundle holds its one language (chat-language.ts).

export const STRINGS: Record<Lang, Strings> = { en, de, fr, es, it, nl, pt, pl };
