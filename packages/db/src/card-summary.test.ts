import { describe, expect, it } from 'vitest';
import { cardSummary, looksLikeCardNumber, savePaymentCard } from './card-summary.ts';
import { sqliteOf } from './connection.ts';
import { createTestDatabase } from './testing/index.ts';

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
    await savePaymentCard(db, 'acc_globex', good);
    expect(
      sqliteOf(db)
        .prepare(
          "SELECT processor_token, brand, last4, exp_month, exp_year FROM payment_cards WHERE account_id = 'acc_globex'",
        )
        .get(),
    ).toEqual({
      processor_token: 'tok_1Nx2',
      brand: 'visa',
      last4: '4242',
      exp_month: 12,
      exp_year: 2030,
    });
  });
});
