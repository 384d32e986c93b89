import { describe, expect, it } from 'vitest';
import { LINK_REL, linkify } from './linkify.ts';

const links = (text: string) =>
  linkify(text).filter((part): part is { text: string; href: string } => typeof part !== 'string');

describe('linkify', () => {
  it.each([
    ['see https://example.com/a?b=1#c now', 'https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
    ['http://example.org', 'http://example.org', 'http://example.org/'],
    ['www.example.com/shop', 'www.example.com/shop', 'https://www.example.com/shop'],
    ['write to mailto:help@example.com', 'mailto:help@example.com', 'mailto:help@example.com'],
    ['HTTPS://EXAMPLE.COM', 'HTTPS://EXAMPLE.COM', 'https://example.com/'],
  ])('links %j', (text, shown, href) => {
    expect(links(text)).toEqual([{ text: shown, href }]);
  });

  it('keeps the text around a link, in order, and puts nothing in twice', () => {
    expect(linkify('Hi, see https://a.example/x. Or www.b.example!')).toEqual([
      'Hi, see ',
      { text: 'https://a.example/x', href: 'https://a.example/x' },
      '. Or ',
      { text: 'www.b.example', href: 'https://www.b.example/' },
      '!',
    ]);
    expect(linkify('no links here')).toEqual(['no links here']);
    expect(linkify('')).toEqual([]);
  });

  it.each([
    ['(see https://example.com/page)', 'https://example.com/page'],
    ['https://en.wikipedia.org/wiki/Tea_(drink).', 'https://en.wikipedia.org/wiki/Tea_(drink)'],
    ['is it https://example.com?', 'https://example.com'],
    ['[https://example.com/x]', 'https://example.com/x'],
    ['https://example.com/a, https://example.com/b;', 'https://example.com/a'],
    ['**https://example.com**', 'https://example.com'],
  ])('leaves trailing punctuation out: %j', (text, shown) => {
    expect(links(text)[0]?.text).toBe(shown);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com/file',
    'http://localhost/admin',
    'https://',
    'mailto:nobody',
    'mailto:a@b',
    'java\u200bscript:alert(1)',
  ])('makes no link of %j', (text) => {
    expect(links(text)).toEqual([]);
    expect(linkify(text).join('')).toBe(text);
  });

  it('never lets markup into an address', () => {
    const parts = linkify('https://example.com/"><script>alert(1)</script>');
    expect(parts[0]).toEqual({ text: 'https://example.com/', href: 'https://example.com/' });
    expect(parts.slice(1)).toEqual(['"><script>alert(1)</script>']);
    expect(links("https://example.com/'onmouseover='alert(1)")[0]?.href).toBe('https://example.com/');
  });

  it('ends a link at invisible and direction-changing characters', () => {
    for (const trick of ['\u202e', '\u2066', '\u200b', '\u200f', '\ufeff', '\u00ad', '\u2028'])
      expect(links(`https://bank.example${trick}.evil.example/login`)[0]?.href).toBe('https://bank.example/');
  });

  it('opens a look-alike host under its real, punycode name', () => {
    const [link] = links('https://раураl.com/login');
    expect(link?.text).toBe('https://раураl.com/login');
    expect(link?.href).toBe('https://xn--l-7sba6dbr.com/login');
  });

  it('does not read a scheme hidden inside a word', () => {
    expect(links('xhttps://example.com')).toEqual([]);
    expect(links('javascript:https://example.com')[0]?.href).toBe('https://example.com/');
  });

  it('names the rel every link wears', () => {
    expect(LINK_REL.split(' ').sort()).toEqual(['nofollow', 'noopener', 'noreferrer', 'ugc']);
  });
});
