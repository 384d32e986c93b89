import type { ParleyDb } from './connection.ts';
import { write } from './statements.ts';

/** What Parley keeps of a payment card (COL-3): the processor's token and a summary, never the number. */
export interface CardSummary {
  processorToken: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export class CardDataError extends Error {
  readonly code = 'CARD_DATA_REFUSED';
}

/** True for a run of 12–19 digits (spaces or dashes allowed) that passes the Luhn check: a card number. */
export function looksLikeCardNumber(text: string): boolean {
  for (const match of text.matchAll(/(?:\d[ -]?){12,19}/g)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length < 12 || digits.length > 19) continue;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return true;
  }
  return false;
}

/** Validates what a payment processor returned; refuses anything that carries a card number. */
export function cardSummary(input: CardSummary): CardSummary {
  for (const [field, value] of Object.entries(input)) {
    if (typeof value === 'string' && looksLikeCardNumber(value))
      throw new CardDataError(`${field} looks like a card number; Parley never stores one`);
  }
  if (!/^\d{4}$/.test(input.last4)) throw new CardDataError('last4 must be exactly four digits');
  if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12)
    throw new CardDataError('expMonth must be 1–12');
  if (!Number.isInteger(input.expYear) || input.expYear < 2000 || input.expYear > 2100)
    throw new CardDataError('expYear is not a plausible year');
  if (!/^[A-Za-z0-9_-]{3,255}$/.test(input.processorToken))
    throw new CardDataError('processorToken is not a processor token');
  return { ...input, brand: input.brand.toLowerCase().slice(0, 32) };
}

/** COL-3: keeps the account's card summary, replacing the one before; refuses anything that carries a card number. */
export async function savePaymentCard(
  db: ParleyDb,
  accountId: string,
  input: CardSummary,
  now = Date.now(),
): Promise<void> {
  const { processorToken, brand, last4, expMonth, expYear } = cardSummary(input);
  const stored = { processorToken, brand, last4, expMonth, expYear, updatedAt: now };
  await write(db, (o, { paymentCards }) =>
    o
      .insert(paymentCards)
      .values({ accountId, ...stored })
      .onConflictDoUpdate({ target: paymentCards.accountId, set: stored }),
  );
}
