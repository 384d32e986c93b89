import { describe, expect, it } from 'vitest';
import { pageWithoutQuery } from './visitor-context.ts';

describe('the page agents see', () => {
  it.each([
    ['https://acme.test/roses?q=secret#top', 'https://acme.test/roses'],
    ['https://user:password@acme.test:8443/a/b/', 'https://acme.test:8443/a/b/'],
    ['https://acme.test:443', 'https://acme.test/'],
    ['http://[2001:db8::1]/x?y', 'http://[2001:db8::1]/x'],
  ])('keeps scheme, host and path of %s', (page, expected) => {
    expect(pageWithoutQuery(page)).toBe(expected);
  });

  it.each([['javascript:alert(1)'], ['ftp://acme.test/file'], ['not a url'], [''], [null]])(
    'gives null for %j',
    (page) => {
      expect(pageWithoutQuery(page)).toBeNull();
    },
  );

  it('cuts a very long path', () => {
    expect(pageWithoutQuery(`https://acme.test/${'x'.repeat(3000)}`)).toHaveLength(2048);
  });
});
