import { type CookieDeclaration, contentInForce, type PolicyContent, parleyPolicy } from '@parley/policy';

/**
 * The names the policy in force declares, spelled out so that the compiler checks every call site; the model
 * stays the only source of what a cookie is, and `declarations.test.ts` fails if this list and the model differ.
 */
export type CookieName =
  | 'parley_session'
  | 'parley_admin_session'
  | 'parley_remember_email'
  | 'parley_chat_id'
  | 'parley_opt_out';

/** Every cookie the policy declares; nothing in Parley may set any other (CK-7). */
export const cookieDeclarations = (
  content: PolicyContent = contentInForce(parleyPolicy),
): readonly CookieDeclaration[] => content.cookies;

/** The cookies the widget's script sets on a customer's site: what the widget build injects (CK-6). */
export const widgetCookieDeclarations = (
  content: PolicyContent = contentInForce(parleyPolicy),
): readonly CookieDeclaration[] => cookieDeclarations(content).filter((cookie) => cookie.setBy === 'widget');
