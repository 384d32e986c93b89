import { type SearchTerms, wordsOf } from './search-terms.ts';

/**
 * A short piece of a matching message or note, around its first match, with the matched words marked by their
 * offsets in `text` (UTF-16 code units, as JavaScript strings count): the dashboard wraps each in a `<mark>` it
 * builds itself, so the text is never read as markup.
 */
export interface Snippet {
  text: string;
  /** `[start, end)` of each matched word, in order, not overlapping. */
  marks: Array<[number, number]>;
}

/** Characters of a snippet, about two lines of the results list. */
export const SNIPPET_LENGTH = 160;
/** Characters kept before the first match, so that it is read in its sentence. */
const LEAD = 40;

/** A word as both engines compare it: without case and diacritics. */
const fold = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Moves `at` off the second half of a surrogate pair, so that a cut never splits a character. */
const whole = (text: string, at: number): number =>
  at > 0 && at < text.length && /[\udc00-\udfff]/.test(text[at]!) ? at - 1 : at;

/**
 * The snippet of `body` for `terms`: its blanks made single spaces, cut to about `SNIPPET_LENGTH` characters at
 * spaces with `…` where it was cut, and every word equal to a searched word (or beginning with the last one, when it
 * is searched as a prefix) marked. A body the engine matched in a way these words do not show (a phrase split
 * differently) gives its beginning, unmarked.
 */
export function snippetOf(body: string, terms: SearchTerms): Snippet {
  const text = body.replace(/\s+/gu, ' ').trim();
  const searched = new Set(terms.phrases.flat().map(fold));
  const prefix = terms.prefix ? fold(terms.phrases.at(-1)!.at(-1)!) : null;
  const found: Array<[number, number]> = [];
  for (const { word, at } of wordsOf(text)) {
    const folded = fold(word);
    if (searched.has(folded) || (prefix !== null && folded.startsWith(prefix)))
      found.push([at, at + word.length]);
  }
  const first = found[0];
  let start = 0;
  if (first && first[0] > LEAD) {
    const space = text.indexOf(' ', first[0] - LEAD);
    start = space !== -1 && space < first[0] ? space + 1 : whole(text, first[0] - LEAD);
  }
  let end = Math.min(text.length, Math.max(start + SNIPPET_LENGTH, first?.[1] ?? 0));
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > start && space >= (first?.[1] ?? 0) ? space : whole(text, end);
  }
  const lead = start > 0 ? '…' : '';
  const shift = lead.length - start;
  return {
    text: `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`,
    marks: found.filter(([a, b]) => a >= start && b <= end).map(([a, b]) => [a + shift, b + shift]),
  };
}
