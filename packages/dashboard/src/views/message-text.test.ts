import { LINK_REL } from '@parley/protocol/linkify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeElement, installFakeDocument } from '../testing/fake-document.ts';
import { messageText } from './conversation-view.ts';

let page: ReturnType<typeof installFakeDocument>;
beforeEach(() => {
  page = installFakeDocument();
});
afterEach(() => {
  page.restore();
});

const linksOf = (element: HTMLElement) =>
  (element as unknown as FakeElement).querySelectorAll('a').map((link) => ({
    href: link.getAttribute('href'),
    text: link.textContent,
    target: link.getAttribute('target'),
    rel: link.getAttribute('rel'),
  }));

describe('a message’s text in the dashboard', () => {
  it('makes its web and mail addresses links that open apart from the dashboard', () => {
    const text = messageText('Tracking: https://post.example/t/42, questions to mailto:help@shop.example.');
    expect(text.textContent).toBe(
      'Tracking: https://post.example/t/42, questions to mailto:help@shop.example.',
    );
    expect(linksOf(text)).toEqual([
      {
        href: 'https://post.example/t/42',
        text: 'https://post.example/t/42',
        target: '_blank',
        rel: LINK_REL,
      },
      { href: 'mailto:help@shop.example', text: 'mailto:help@shop.example', target: '_blank', rel: LINK_REL },
    ]);
  });

  it('keeps script addresses and markup as text', () => {
    const hostile = 'javascript:alert(1) data:text/html,<b>x</b> "><img src=x onerror=alert(2)>';
    const text = messageText(hostile);
    expect(text.textContent).toBe(hostile);
    expect(linksOf(text)).toEqual([]);
    expect((text as unknown as FakeElement).querySelectorAll('img')).toEqual([]);
  });
});
