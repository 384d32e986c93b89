import { describe, expect, it } from 'vitest';
import { exportAccount } from '../account-data.ts';
import type { ParleyDb } from '../connection.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, readRows } from '../testing/index.ts';
import {
  CannedReplyError,
  type CannedReplyInput,
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from './canned-replies.ts';

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;
const olivia = { agentId: FIXTURE.agents.acmeOwner.id, now: FIXTURE_NOW };

/** The field errors `input` is refused with when added to Acme. */
async function refusal(db: ParleyDb, input: CannedReplyInput): Promise<Record<string, string>> {
  try {
    await createCannedReply(db, acme, input, olivia);
  } catch (error) {
    if (error instanceof CannedReplyError) return error.fields;
    throw error;
  }
  throw new Error('the reply was accepted');
}

describe('canned replies of an account', () => {
  it('stores a reply under its short name as typed without the slash, and lists them by short name', async () => {
    const db = await createTestDatabase();
    const refund = await createCannedReply(
      db,
      acme,
      { shortName: ' /Refund ', body: ' Hello {visitor.name}, your refund is on its way. ' },
      olivia,
    );
    const hours = await createCannedReply(db, acme, { shortName: 'hours', body: 'We open at 9.' }, olivia);
    expect(refund).toMatchObject({
      accountId: acme,
      shortName: 'refund',
      body: 'Hello {visitor.name}, your refund is on its way.',
      updatedBy: olivia.agentId,
      createdAt: FIXTURE_NOW,
    });
    expect(await listCannedReplies(db, acme)).toEqual([hours, refund]);
    expect(await listCannedReplies(db, globex)).toEqual([]);
  });

  it('refuses a wrong short name or text field by field, and stores nothing', async () => {
    const db = await createTestDatabase();
    expect(await refusal(db, { shortName: '/', body: ' ' })).toEqual({
      shortName: expect.stringContaining('short name'),
      body: expect.stringContaining('Write'),
    });
    expect(await refusal(db, { shortName: 're fund', body: 'x' })).toHaveProperty('shortName');
    expect(await refusal(db, { shortName: '-refund', body: 'x' })).toHaveProperty('shortName');
    expect(await refusal(db, { shortName: 'x'.repeat(33), body: 'x' })).toHaveProperty('shortName');
    expect(await refusal(db, { shortName: 'long', body: 'x'.repeat(4001) })).toHaveProperty('body');
    await createCannedReply(db, acme, { shortName: 'long', body: 'x'.repeat(4000) }, olivia);
    expect(await readRows(db, 'cannedReplies', { accountId: acme })).toHaveLength(1);
  });

  it('keeps short names unique in an account, and lets another account use the same one', async () => {
    const db = await createTestDatabase();
    const refund = await createCannedReply(db, acme, { shortName: 'refund', body: 'One' }, olivia);
    expect(await refusal(db, { shortName: '/REFUND', body: 'Two' })).toEqual({
      shortName: 'The account already has a reply called /refund.',
    });
    const other = await createCannedReply(
      db,
      globex,
      { shortName: 'refund', body: 'Globex' },
      { agentId: FIXTURE.agents.globexOwner.id },
    );
    expect(other.shortName).toBe('refund');
    const hours = await createCannedReply(db, acme, { shortName: 'hours', body: 'At 9' }, olivia);
    await expect(
      updateCannedReply(db, acme, hours.id, { shortName: 'refund', body: 'At 9' }, olivia),
    ).rejects.toThrow(CannedReplyError);
    // Keeping its own name is no clash.
    expect(
      await updateCannedReply(
        db,
        acme,
        refund.id,
        { shortName: 'refund', body: 'Changed' },
        { agentId: FIXTURE.agents.acmeAgent.id, now: FIXTURE_NOW + 1 },
      ),
    ).toMatchObject({ body: 'Changed', updatedAt: FIXTURE_NOW + 1, updatedBy: FIXTURE.agents.acmeAgent.id });
  });

  it("never changes or deletes another account's reply", async () => {
    const db = await createTestDatabase();
    const refund = await createCannedReply(db, acme, { shortName: 'refund', body: 'One' }, olivia);
    expect(await updateCannedReply(db, globex, refund.id, { shortName: 'x', body: 'y' }, olivia)).toBeNull();
    expect(await deleteCannedReply(db, globex, refund.id)).toBe(false);
    expect(await listCannedReplies(db, acme)).toEqual([refund]);
    expect(await deleteCannedReply(db, acme, refund.id)).toBe(true);
    expect(await listCannedReplies(db, acme)).toEqual([]);
  });

  it("RET-2: the account's export lists its replies with who last wrote each", async () => {
    const db = await createTestDatabase();
    await createCannedReply(db, acme, { shortName: 'refund', body: 'One' }, olivia);
    const document = await exportAccount(db, acme);
    expect(document.canned_replies).toEqual([
      expect.objectContaining({ short_name: 'refund', body: 'One', updated_by: olivia.agentId }),
    ]);
    expect((await exportAccount(db, globex)).canned_replies).toEqual([]);
  });
});
