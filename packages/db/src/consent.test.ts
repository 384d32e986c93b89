import { describe, expect, it } from 'vitest';
import { recordConsent, visitorOptedOut } from './consent.ts';
import { sha256 } from './ids.ts';
import { createTestDatabase, FIXTURE, readRow } from './testing/index.ts';

const acme = FIXTURE.accounts.acme.id;

describe('consent records', () => {
  it('keeps the policy version in force and a hash of the exact text shown, not the text', async () => {
    const db = await createTestDatabase();
    const text = 'Chat with us: we keep the conversation for a year.';
    const { id, textHash } = await recordConsent(db, {
      accountId: acme,
      visitorId: FIXTURE.visitors.ben.id,
      scope: 'widget',
      choice: 'consent',
      policyVersion: '1.2.0',
      text,
      now: 42,
    });
    expect(textHash).toBe(sha256(text));
    expect(await readRow(db, 'consentRecords', { id })).toEqual({
      id,
      accountId: acme,
      visitorId: FIXTURE.visitors.ben.id,
      agentId: null,
      scope: 'widget',
      choice: 'consent',
      policyVersion: '1.2.0',
      textHash,
      language: 'en',
      createdAt: 42,
    });
  });

  it('keeps the language the text was shown in, beside the hash of the text in that language', async () => {
    const db = await createTestDatabase();
    // A sign-up confirmed later keeps the hash made when the German page showed its text.
    const shown = sha256(
      'Mit Ihrer Registrierung bestätigen Sie, die Datenschutzerklärung zur Kenntnis genommen zu haben.',
    );
    const agentId = FIXTURE.agents.acmeOwner.id;
    const signup = {
      accountId: acme,
      agentId,
      scope: 'signup',
      choice: 'consent',
      policyVersion: '1.4.0',
    } as const;
    const { id } = await recordConsent(db, { ...signup, textHash: shown, language: 'de' });
    expect(await readRow(db, 'consentRecords', { id })).toMatchObject({
      agentId,
      textHash: shown,
      language: 'de',
    });
  });

  it("CK-4: knows a visitor who turned chat off, only within that visitor's account", async () => {
    const db = await createTestDatabase();
    expect(await visitorOptedOut(db, acme, FIXTURE.visitors.optedOut.id)).toBe(true);
    expect(await visitorOptedOut(db, FIXTURE.accounts.globex.id, FIXTURE.visitors.optedOut.id)).toBe(false);
    // Anna consented; consent is not an opt-out.
    expect(await visitorOptedOut(db, acme, FIXTURE.visitors.anna.id)).toBe(false);
  });

  it('CK-4: an opt-out recorded now is seen at once, also beside an earlier consent', async () => {
    const db = await createTestDatabase();
    const visitorId = FIXTURE.visitors.anna.id;
    await recordConsent(db, {
      accountId: acme,
      visitorId,
      scope: 'widget',
      choice: 'opt_out',
      policyVersion: '1.2.0',
      text: 'Turn chat off',
    });
    expect(await visitorOptedOut(db, acme, visitorId)).toBe(true);
  });
});
