import type { CookieName } from '@parley/cookies';
import { widgetCookieDeclarations } from '@parley/cookies';
import { createBrowserCookies } from '@parley/cookies/browser';
import { fakeCookieDocument } from '@parley/cookies/testing';
import { describe, expect, it } from 'vitest';
import { CHAT_ID_COOKIE, hasCookie, OPT_OUT_COOKIE } from './cookie-names.ts';
import {
  applyWidgetCookies,
  chatIdIsPersistent,
  isChatId,
  type PrivacySignals,
  readPrivacySignals,
} from './cookie-rules.ts';

const declarations = widgetCookieDeclarations();
const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 86_400;
const CHAT_ID = 'c_0123456789abcdefXYZ';
const none: PrivacySignals = { gpc: false, dnt: false };

const setup = (initial?: Record<string, string>) => {
  const doc = fakeCookieDocument(initial);
  return { doc, cookies: createBrowserCookies(declarations, doc, () => NOW) };
};

describe('the cookie decisions the widget applies', () => {
  it('CK-7: before the visitor acts, nothing is written, whatever values are at hand', () => {
    const { doc, cookies } = setup();
    for (const signals of [none, { gpc: true, dnt: false }])
      applyWidgetCookies(
        cookies,
        declarations,
        { acted: false, optedOut: false, signals },
        {
          [CHAT_ID_COOKIE]: CHAT_ID,
          [OPT_OUT_COOKIE]: '1',
        },
      );
    expect(doc.writes).toEqual([]);
  });

  it('CK-3: once the visitor opens the chat, the chat id is written for the declared 30 days', () => {
    const { doc, cookies } = setup();
    applyWidgetCookies(
      cookies,
      declarations,
      { acted: true, optedOut: false, signals: none },
      {
        [CHAT_ID_COOKIE]: CHAT_ID,
      },
    );
    expect(doc.writes).toEqual([
      `parley_chat_id=${CHAT_ID}; Max-Age=${30 * DAY}; Path=/; Secure; SameSite=Lax`,
    ]);
  });

  it.each([
    ['GPC', { gpc: true, dnt: false }],
    ['DNT', { gpc: false, dnt: true }],
    ['GPC and DNT', { gpc: true, dnt: true }],
  ])('SIG-1: under %s the chat id is a session cookie (no Max-Age)', (_, signals) => {
    const { doc, cookies } = setup();
    applyWidgetCookies(
      cookies,
      declarations,
      { acted: true, optedOut: false, signals },
      {
        [CHAT_ID_COOKIE]: CHAT_ID,
      },
    );
    expect(doc.writes).toEqual([`parley_chat_id=${CHAT_ID}; Path=/; Secure; SameSite=Lax`]);
    expect(chatIdIsPersistent(declarations, signals)).toBe(false);
  });

  it('SIG-1: without a signal, hello may ask the server to recognise the visitor later', () => {
    expect(chatIdIsPersistent(declarations, none)).toBe(true);
  });

  it('CK-4: opting out leaves only the opt-out cookie, for its declared year, and removes the chat id', () => {
    const { doc, cookies } = setup({ parley_chat_id: CHAT_ID });
    applyWidgetCookies(
      cookies,
      declarations,
      { acted: true, optedOut: true, signals: none },
      {
        [CHAT_ID_COOKIE]: CHAT_ID,
        [OPT_OUT_COOKIE]: '1',
      },
    );
    expect(doc.writes).toEqual([
      `parley_opt_out=1; Max-Age=${365 * DAY}; Path=/; Secure; SameSite=Lax`,
      'parley_chat_id=; Max-Age=0; Path=/; Secure; SameSite=Lax',
    ]);
    expect([...doc.jar]).toEqual([['parley_opt_out', '1']]);
  });

  it('CK-4: the opt-out keeps its year under GPC, because it records a refusal', () => {
    const { doc, cookies } = setup();
    applyWidgetCookies(
      cookies,
      declarations,
      { acted: true, optedOut: true, signals: { gpc: true, dnt: true } },
      {
        [OPT_OUT_COOKIE]: '1',
      },
    );
    expect(doc.writes).toEqual([`parley_opt_out=1; Max-Age=${365 * DAY}; Path=/; Secure; SameSite=Lax`]);
  });

  it('CK-7: a value for a cookie the policy does not declare is never written', () => {
    const { doc, cookies } = setup();
    applyWidgetCookies(
      cookies,
      declarations,
      { acted: true, optedOut: false, signals: none },
      {
        ['parley_tracker' as CookieName]: 'x',
      },
    );
    expect(doc.writes).toEqual([]);
  });
});

describe('readPrivacySignals', () => {
  it.each([
    [{}, {}, none],
    [{ globalPrivacyControl: true }, {}, { gpc: true, dnt: false }],
    [{ globalPrivacyControl: false }, {}, none],
    [{ doNotTrack: '1' }, {}, { gpc: false, dnt: true }],
    [{ doNotTrack: '0' }, {}, none],
    [{ doNotTrack: 'unspecified' }, {}, none],
    [{ doNotTrack: null }, { doNotTrack: '1' }, { gpc: false, dnt: true }],
    [{ globalPrivacyControl: true, doNotTrack: '1' }, {}, { gpc: true, dnt: true }],
  ])('SIG-1: navigator %j, window %j → %j', (nav, win, signals) => {
    expect(readPrivacySignals(nav, win)).toEqual(signals);
  });

  it.each([
    [{ gpc: '1' }, { gpc: true, dnt: false }],
    [{ dnt: '1' }, { gpc: false, dnt: true }],
    [
      { gpc: '1', dnt: '1' },
      { gpc: true, dnt: true },
    ],
    [{ gpc: '0' }, none],
    [{ gpc: 'true' }, none],
    [{}, none],
  ])('SIG-1: a signal the page request carried, passed on by the script tag as %j → %j', (page, signals) => {
    expect(readPrivacySignals({}, {}, page)).toEqual(signals);
  });
});

describe('hasCookie and isChatId', () => {
  it.each([
    ['parley_opt_out=1', true],
    ['a=b; parley_opt_out=1', true],
    ['a=b;parley_opt_out=1;c=d', true],
    ['xparley_opt_out=1', false],
    ['a=parley_opt_out', false],
    ['', false],
  ])('CK-4: %j holds the opt-out cookie: %s', (header, held) => {
    expect(hasCookie(header, OPT_OUT_COOKIE)).toBe(held);
  });

  it('accepts only what the protocol calls a chat id', () => {
    expect(isChatId(CHAT_ID)).toBe(true);
    expect(isChatId('short')).toBe(false);
    expect(isChatId('x'.repeat(65))).toBe(false);
    expect(isChatId('abc;def=ghi jkl mno')).toBe(false);
    expect(isChatId(undefined)).toBe(false);
  });
});
