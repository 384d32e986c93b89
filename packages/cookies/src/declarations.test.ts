import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { type CookieName, cookieDeclarations, widgetCookieDeclarations } from './declarations.ts';

const content = contentInForce(parleyPolicy);

// Spelled as a record so the compiler insists on every member of CookieName and nothing else.
const NAMES: Record<CookieName, true> = {
  parley_session: true,
  parley_admin_session: true,
  parley_remember_email: true,
  parley_chat_id: true,
  parley_opt_out: true,
};

describe('cookie declarations', () => {
  it('CK-7: every cookie comes from the policy model, unchanged', () => {
    expect(cookieDeclarations(content)).toEqual(content.cookies);
    expect(cookieDeclarations()).toEqual(content.cookies);
  });

  it('CookieName names exactly the cookies the policy in force declares', () => {
    expect(Object.keys(NAMES).sort()).toEqual(content.cookies.map((cookie) => cookie.name).sort());
  });

  it('CK-6: the widget is given exactly the cookies the widget sets', () => {
    const widget = widgetCookieDeclarations(content);
    expect(widget.map((cookie) => cookie.name).sort()).toEqual(['parley_chat_id', 'parley_opt_out']);
    expect(widget).toEqual(content.cookies.filter((cookie) => cookie.setBy === 'widget'));
  });

  it('an older policy version yields only the cookies it declared', () => {
    const v1_1 = parleyPolicy.versions.find((version) => version.version === '1.1.0')!.content;
    expect(cookieDeclarations(v1_1).map((cookie) => cookie.name)).not.toContain('parley_remember_email');
  });
});
