import { describe, expect, it } from 'vitest';
import { ftsMatch, searchTerms, tsQuery } from './search-terms.ts';
import { SNIPPET_LENGTH, snippetOf } from './snippet.ts';

describe('what a person typed, as words', () => {
  it.each([
    ['roses', [['roses']], true],
    ['  Roses   Austria ', [['Roses'], ['Austria']], true],
    ['anna@example.org', [['anna', 'example', 'org']], true],
    ['A-1234', [['A', '1234']], true],
    ['"roses" AND NEAR(tulips austria)', [['roses'], ['AND'], ['NEAR', 'tulips'], ['austria']], true],
    ["'; DROP TABLE messages; --", [['DROP'], ['TABLE'], ['messages']], true],
    ['body:roses* -austria', [['body', 'roses'], ['austria']], true],
    ['Crème brûlée', [['Crème'], ['brûlée']], true],
    ['we do', [['we'], ['do']], false],
    ['東京 タワー', [['東京'], ['タワー']], true],
  ])('%s', (text, phrases, prefix) => {
    expect(searchTerms(text)).toEqual({ phrases, prefix });
  });

  it.each(['', '   ', '"', '*', '&|!', '-', ':', '()', "'", '\u0301'])('finds no word in %j', (text) => {
    expect(searchTerms(text)).toBeNull();
  });

  it('keeps at most eight phrases and cuts long words', () => {
    const terms = searchTerms(`${'a '.repeat(20)}${'x'.repeat(100)}`)!;
    expect(terms.phrases).toHaveLength(8);
    expect(searchTerms('x'.repeat(100))!.phrases[0]![0]).toHaveLength(64);
  });

  it('quotes every word for each engine, so nothing typed is query syntax', () => {
    const terms = searchTerms('"roses" NEAR(tulips -austria: a&b|!c')!;
    expect(ftsMatch(terms)).toBe('"roses" "NEAR tulips" "austria" "a b c"');
    expect(tsQuery(terms)).toBe("'roses' & 'NEAR' <-> 'tulips' & 'austria' & 'a' <-> 'b' <-> 'c'");
    const typing = searchTerms('roses tuli')!;
    expect(ftsMatch(typing)).toBe('"roses" "tuli"*');
    expect(tsQuery(typing)).toBe("'roses' & 'tuli':*");
  });
});

describe('a snippet of the matching text', () => {
  it('marks each searched word, whatever its case and diacritics, and the words the last one begins', () => {
    const snippet = snippetOf(
      'Do you ship ROSES to Österreich?\nRoses and rosehips.',
      searchTerms('roses oster')!,
    );
    expect(snippet.text).toBe('Do you ship ROSES to Österreich? Roses and rosehips.');
    expect(snippet.marks.map(([a, b]) => snippet.text.slice(a, b))).toEqual(['ROSES', 'Österreich', 'Roses']);
  });

  it('cuts a long text at spaces around the first match, saying where it cut', () => {
    const before = 'word '.repeat(40);
    const after = ' more'.repeat(60);
    const snippet = snippetOf(`${before}tulips${after}`, searchTerms('tulips')!);
    expect(snippet.text.startsWith('…word ')).toBe(true);
    expect(snippet.text.endsWith('more…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    const [mark] = snippet.marks;
    expect(snippet.text.slice(mark![0], mark![1])).toBe('tulips');
  });

  it('shows the beginning, unmarked, when the words are not found as written', () => {
    expect(snippetOf('Hello there', searchTerms('absent')!)).toEqual({ text: 'Hello there', marks: [] });
  });
});
