import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeElement, installFakeDocument } from '../testing/fake-document.ts';
import { searchParams, snippetText } from './history-search.ts';

let page: ReturnType<typeof installFakeDocument>;
beforeEach(() => {
  page = installFakeDocument();
});
afterEach(() => {
  page.restore();
});

const marksOf = (element: HTMLElement) =>
  (element as unknown as FakeElement).querySelectorAll('mark').map((mark) => mark.textContent);

describe('a search result’s snippet', () => {
  it('marks the matched words, and keeps the rest as text', () => {
    const text = snippetText({
      text: 'Do you ship ROSES to Austria? Roses!',
      marks: [
        [12, 17],
        [30, 35],
      ],
    });
    expect(text.textContent).toBe('Do you ship ROSES to Austria? Roses!');
    expect(marksOf(text)).toEqual(['ROSES', 'Roses']);
  });

  it('keeps markup a visitor wrote as text, and ignores marks outside the text or out of order', () => {
    const hostile = '<img src=x onerror=alert(1)> roses';
    const text = snippetText({
      text: hostile,
      marks: [
        [29, 34],
        [0, 4],
        [30, 99],
      ],
    });
    expect(text.textContent).toBe(hostile);
    expect(marksOf(text)).toEqual(['roses']);
    expect((text as unknown as FakeElement).querySelectorAll('img')).toEqual([]);
  });
});

describe('the search form, as the API takes it', () => {
  it('sends the days as the instants they begin and end in the browser’s time zone', () => {
    const params = searchParams({
      q: '  roses ',
      from: '2026-11-01',
      to: '2026-11-30',
      tag: 'tag_1',
      agent: '',
      department: '',
      website: '',
      rating: '5',
    });
    expect(params).toEqual({
      q: 'roses',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
      tag: 'tag_1',
      agent: '',
      department: '',
      website: '',
      rating: '5',
    });
  });
});
