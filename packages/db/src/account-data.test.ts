import { describe, expect, it } from 'vitest';
import { closeAccount, exportAccount } from './account-data.ts';
import { sqliteOf } from './connection.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from './testing/index.ts';

describe('RET-2: account holders export their data and close their account', () => {
  it('exports the account without secrets', async () => {
    const db = await createTestDatabase();
    const doc = await exportAccount(db, FIXTURE.accounts.acme.id);
    const text = JSON.stringify(doc);
    expect(text).toContain('Acme Gardening GmbH');
    expect(text).toContain('4242');
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain('api_key_hash');
    expect(text).not.toContain('tok_visa_acme');
  });

  it('closing signs everyone out, stops sign-in and starts the retention clock', async () => {
    const db = await createTestDatabase();
    sqliteOf(db)
      .prepare(
        "INSERT INTO sessions (id, user_kind, user_id, csrf_token_hash, created_at, expires_at) VALUES ('ses_1', 'agent', ?, 'h', 1, 9999999999999)",
      )
      .run(FIXTURE.agents.acmeOwner.id);
    expect(await closeAccount(db, { accountId: FIXTURE.accounts.acme.id, now: FIXTURE_NOW })).toBe(true);
    expect(
      sqliteOf(db).prepare('SELECT closed_at FROM accounts WHERE id = ?').get(FIXTURE.accounts.acme.id),
    ).toEqual({ closed_at: FIXTURE_NOW });
    expect(sqliteOf(db).prepare('SELECT count(*) n FROM sessions').get()).toEqual({ n: 0 });
    expect(
      sqliteOf(db)
        .prepare('SELECT count(*) n FROM agents WHERE account_id = ? AND removed_at IS NULL')
        .get(FIXTURE.accounts.acme.id),
    ).toEqual({ n: 0 });
    expect(await closeAccount(db, { accountId: FIXTURE.accounts.acme.id })).toBe(false);
  });
});
