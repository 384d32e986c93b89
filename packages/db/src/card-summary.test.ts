import { describe, expect, it } from 'vitest';
import { CardDataError, cardSummary, looksLikeCardNumber, savePaymentCard } from './card-summary.ts';
import { createTestDatabase, readRow } from './testing/index.ts';

const good = { processorToken: 'tok_1Nx2', brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2030 };

describe('COL-3: Parley never stores a card number', () => {
  it.each([
    ['4242424242424242', true],
    ['4242 4242 4242 4242', true],
    ['5555-5555-5555-4444', true],
    ['4242424242424241', false],
    ['tok_1Nx2', false],
    ['order 1234', false],
  ])('%s looks like a card number: %s', (text, expected) => {
    expect(looksLikeCardNumber(text)).toBe(expected);
  });

  it.each([
    [
      'a card number as the token',
      { processorToken: '4242424242424242' },
      /processorToken looks like a card number/,
    ],
    ['a card number as the brand', { brand: 'visa 4242424242424242' }, /brand looks like a card number/],
    ['more than four digits', { last4: '42424' }, /exactly four digits/],
    ['a month 13', { expMonth: 13 }, /expMonth/],
  ])('refuses %s', (_title, override, message) => {
    expect(() => cardSummary({ ...good, ...override })).toThrow(message);
  });

  it('keeps the token, brand, last four and expiry', async () => {
    const db = await createTestDatabase();
    await savePaymentCard(db, 'acc_globex', good, 7);
    expect(await readRow(db, 'paymentCards', { accountId: 'acc_globex' })).toEqual({
      accountId: 'acc_globex',
      processorToken: 'tok_1Nx2',
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2030,
      updatedAt: 7,
    });
  });

  it('COL-3: a new card replaces the summary of the one before, and a refused one leaves it as it was', async () => {
    const db = await createTestDatabase();
    await savePaymentCard(db, 'acc_acme', { ...good, processorToken: 'tok_new', last4: '4444' }, 8);
    await expect(
      savePaymentCard(db, 'acc_acme', { ...good, processorToken: '5555555555554444' }, 9),
    ).rejects.toThrow(CardDataError);
    expect(await readRow(db, 'paymentCards', { accountId: 'acc_acme' })).toMatchObject({
      processorToken: 'tok_new',
      last4: '4444',
      updatedAt: 8,
    });
  });
});
