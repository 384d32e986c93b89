import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, signIn, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;

const LANGUAGES = [
  { acceptLanguage: 'de-DE,de;q=0.9,en;q=0.8', language: 'German' },
  { acceptLanguage: 'en-GB,en;q=0.9', language: 'English' },
] as const;

async function errorOf(response: Response): Promise<{ code: string; message: string; fields?: object }> {
  return ((await response.json()) as { error: { code: string; message: string; fields?: object } }).error;
}

describe('the server answers errors in the language the request asks for', () => {
  it.each([
    [LANGUAGES[0], 'Die E-Mail-Adresse oder das Passwort ist nicht richtig.'],
    [LANGUAGES[1], 'The email address or the password is not right.'],
  ])('a wrong password at sign-in, in $language', async ({ acceptLanguage }, message) => {
    const app = await createTestApp();
    const response = await app.request('/app/api/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'accept-language': acceptLanguage },
      body: JSON.stringify({ email: owner.email, password: `${FIXTURE_PASSWORD}!`, rememberEmail: false }),
    });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({ code: 'invalid_credentials', message });
  });

  it.each([
    [
      LANGUAGES[0],
      'Die Farbe muss als #rrggbb geschrieben werden, z. B. #2a5d9f.',
      'Wählen Sie mindestens eine Sprache.',
    ],
    [LANGUAGES[1], 'The colour must be written #rrggbb, e.g. #2a5d9f.', 'Choose at least one language.'],
  ])('a refused website colour, each field in $language', async ({ acceptLanguage }, colour, languages) => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/websites', {
      method: 'POST',
      headers: writeHeaders(session, { 'accept-language': acceptLanguage }),
      body: JSON.stringify({
        name: 'Shop',
        origins: [],
        color: 'blue',
        position: 'right',
        launcherLabel: '',
        greeting: '',
        agentDisplay: 'name',
        languages: [],
        preChat: { name: 'off', email: 'off' },
        hours: null,
        transcripts: true,
        ratings: true,
      }),
    });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.fields).toEqual({ color: colour, languages });
    expect(error.message).toBe(`${colour} ${languages}`);
  });

  it.each([
    [LANGUAGES[0], 'Diese Unterhaltung gibt es in diesem Konto nicht.'],
    [LANGUAGES[1], 'There is no such conversation in this account.'],
  ])('an unknown conversation, in $language', async ({ acceptLanguage }, message) => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/conversations/c_unknown', {
      headers: { cookie: session.cookie, origin: ORIGIN, 'accept-language': acceptLanguage },
    });
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message });
  });

  it('a body of the wrong shape names the field and gives its problem in German', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/support', {
      method: 'POST',
      headers: writeHeaders(session, { 'accept-language': 'de' }),
      body: JSON.stringify({ subject: ' ', body: 'Hallo' }),
    });
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_input',
      message: 'subject: geben Sie der Anfrage einen Betreff',
    });
  });
});
