/**
 * What a person typed into the search box, as words, and the query each engine runs for them. Nothing typed is ever
 * passed on as query syntax: only runs of letters, digits and combining marks are kept, and each engine gets them
 * quoted, so `"`, `*`, `NEAR(`, `-`, `:`, `&|!`, parentheses or SQL are merely where one word ends and the next begins.
 *
 * Each run of non-blank characters is a phrase of the words in it (`anna@example.org` is the phrase
 * `anna example org`, as both engines index that address); the phrases must all occur. The last word, if it is long
 * enough, also matches the words it begins (`tuli` finds `tulips`), since the person may still be typing it.
 */
export interface SearchTerms {
  /** At least one phrase, each of at least one word, as typed (the engines fold case and diacritics). */
  phrases: string[][];
  /** Whether the last word of the last phrase is searched as a prefix. */
  prefix: boolean;
}

/**
 * A word: letters, digits, combining marks (diacritics typed apart from their letter) and private-use characters,
 * with at least one that is not a mark (a mark alone folds to nothing, and an empty phrase would match nothing).
 */
const WORD = /\p{M}*[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{M}\p{Co}]*/gu;

/** The words of `text` in order, each with its offset. */
export function wordsOf(text: string): Array<{ word: string; at: number }> {
  return [...text.matchAll(WORD)].map((match) => ({ word: match[0], at: match.index }));
}

/** Phrases beyond these are ignored: a search box needs no more, and each one costs the engine a lookup. */
export const MAX_PHRASES = 8;
/** Words longer than this are cut: no language's words are, and a long one would only make a longer query. */
export const MAX_WORD_LENGTH = 64;
/** The last word is searched as a prefix only from this many characters: a shorter one begins too many words. */
export const MIN_PREFIX_LENGTH = 3;

/** The words of `text`, as phrases; null if it holds none (only punctuation, or nothing). */
export function searchTerms(text: string): SearchTerms | null {
  const phrases = text
    .split(/\s+/u)
    .map((chunk) => wordsOf(chunk).map(({ word }) => [...word].slice(0, MAX_WORD_LENGTH).join('')))
    .filter((words) => words.length > 0)
    .slice(0, MAX_PHRASES);
  const last = phrases.at(-1)?.at(-1);
  if (last === undefined) return null;
  return { phrases, prefix: [...last].length >= MIN_PREFIX_LENGTH };
}

/**
 * SQLite: an FTS5 MATCH expression. Each phrase is a string in double quotes (which FTS5 tokenizes as the index was
 * tokenized), the phrases are ANDed by juxtaposition, and `*` after the last makes its last word a prefix. The words
 * hold no `"`, so no string can end early.
 */
export function ftsMatch(terms: SearchTerms): string {
  return terms.phrases
    .map((words, i) => {
      const quoted = `"${words.join(' ')}"`;
      return terms.prefix && i === terms.phrases.length - 1 ? `${quoted}*` : quoted;
    })
    .join(' ');
}

/**
 * PostgreSQL: `to_tsquery` text. Each word is a quoted lexeme (the words hold no `'` or `\`, the only characters
 * special inside one), the words of a phrase follow each other (`<->`), phrases are ANDed (`&`), and `:*` makes the
 * last word a prefix. The search folds diacritics off it in SQL (`search_fold`), as the index does to the text.
 */
export function tsQuery(terms: SearchTerms): string {
  return terms.phrases
    .map((words, i) =>
      words
        .map((word, j) => {
          const last = i === terms.phrases.length - 1 && j === words.length - 1;
          return terms.prefix && last ? `'${word}':*` : `'${word}'`;
        })
        .join(' <-> '),
    )
    .join(' & ');
}
