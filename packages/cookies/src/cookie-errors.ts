/**
 * Errors for code that tries to set a cookie the policy does not allow. Messages name the cookie and the rule,
 * never the value: a cookie value must not reach a log (LOG-1).
 */
export type CookieErrorCode =
  | 'cookie_undeclared'
  | 'cookie_wrong_setter'
  | 'cookie_attribute_mismatch'
  | 'cookie_lifetime_too_long'
  | 'cookie_value_invalid';

export class CookieError extends Error {
  constructor(
    readonly code: CookieErrorCode,
    readonly cookie: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** CK-7: no code path may set a cookie the policy model does not declare. */
export class UndeclaredCookieError extends CookieError {
  declare readonly code: 'cookie_undeclared';
  constructor(cookie: string) {
    super('cookie_undeclared', cookie, `cookie "${cookie}" is not declared in the policy`);
  }
}

/** The caller asked for something the declaration rules out: another setter, other attributes, a longer life. */
export class CookieContradictionError extends CookieError {
  declare readonly code: 'cookie_wrong_setter' | 'cookie_attribute_mismatch' | 'cookie_lifetime_too_long';
  constructor(
    code: 'cookie_wrong_setter' | 'cookie_attribute_mismatch' | 'cookie_lifetime_too_long',
    cookie: string,
    message: string,
  ) {
    super(code, cookie, message);
  }
}

export class InvalidCookieValueError extends CookieError {
  declare readonly code: 'cookie_value_invalid';
  constructor(cookie: string) {
    super(
      'cookie_value_invalid',
      cookie,
      `the value for cookie "${cookie}" is empty or has characters a cookie value cannot hold`,
    );
  }
}
