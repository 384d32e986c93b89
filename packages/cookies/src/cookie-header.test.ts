import { describe, expect, it } from 'vitest';
import { cookieHeaderValue } from './cookie-header.ts';

describe('cookieHeaderValue', () => {
  it.each<[string, string | null | undefined, string | undefined]>([
    ['no header', undefined, undefined],
    ['a null header', null, undefined],
    ['an empty header', '', undefined],
    ['the only cookie', 'parley_session=abc', 'abc'],
    ['among others', 'a=1; parley_session=abc; b=2', 'abc'],
    ['without spaces', 'a=1;parley_session=abc;b=2', 'abc'],
    ['with extra spaces', '  parley_session =  abc  ; b=2', 'abc'],
    ['after junk', ';;garbage; =x; parley_session=abc', 'abc'],
    ['a value holding "="', 'parley_session=v1.k1==', 'v1.k1=='],
    ['a quoted value', 'parley_session="abc"', 'abc'],
    ['a lone double quote', 'parley_session="', '"'],
    ['an empty value', 'parley_session=; b=2', ''],
    ['the first of two', 'parley_session=first; parley_session=second', 'first'],
    ['not a longer name', 'xparley_session=1; parley_session_old=2', undefined],
    ['not a name without "="', 'parley_session; b=2', undefined],
    ['percent-encoding left alone', 'parley_session=%E0%A4%A', '%E0%A4%A'],
  ])('%s', (_title, header, expected) => {
    expect(cookieHeaderValue(header, 'parley_session')).toBe(expected);
  });
});
