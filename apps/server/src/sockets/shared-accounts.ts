import type { Account } from '@parley/db/chat';

/**
 * One object per account for as long as its fields stay the same. A visitor socket keeps its account for its whole
 * life, so without this every idle socket of a busy site would hold its own copy of the same row.
 */
export class SharedAccounts {
  readonly #latest = new Map<string, Account>();

  /** `account`, or an earlier object with exactly the same fields. Shared objects must not be changed. */
  share(account: Account): Account {
    const known = this.#latest.get(account.id);
    if (known && sameFields(known, account)) return known;
    this.#latest.set(account.id, account);
    return account;
  }
}

function sameFields(a: Account, b: Account): boolean {
  const keys = Object.keys(a) as Array<keyof Account>;
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
