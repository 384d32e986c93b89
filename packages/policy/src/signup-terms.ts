import { describeRetention } from './describe.ts';
import type { PolicyVersion } from './schema.ts';

/**
 * COL-1: the text a business reads on the sign-up form, from the version in force. The page shows these paragraphs
 * as they are, and the consent record keeps the hash of exactly them (joined by blank lines), so the record proves
 * what was shown: the same function makes the text for the page and for the hash.
 */
export function signupTerms(version: PolicyVersion): string[] {
  const content = version.content;
  const collected = content.promises.find((p) => p.id === 'COL-1');
  const pending = content.retention.find(
    (r) => r.store === 'pending_signups' && r.category === 'user.contact.email',
  );
  return [
    `${content.controller.name} runs this Parley installation. By signing up you accept its privacy policy, version ${version.version} of ${version.date}, which you can read in full at /privacy.`,
    ...(collected ? [collected.statement] : []),
    `Your account's data is kept in the region ${content.regions.installation}, where this installation stores its data.`,
    pending
      ? `We mail you a link to confirm your email address. Until you open it your sign-up is not an account; if you never open it, it is deleted (${describeRetention(pending.retention).toLowerCase()}).`
      : 'We mail you a link to confirm your email address. Until you open it your sign-up is not an account.',
  ];
}

/** The text whose hash the consent record keeps: the paragraphs as shown, separated by blank lines. */
export const signupTermsText = (version: PolicyVersion): string => signupTerms(version).join('\n\n');

/** Whether a version declares how long an unconfirmed sign-up is kept; sign-up waits for one that does (CHG-1). */
export const declaresSignups = (version: PolicyVersion): boolean =>
  version.content.retention.some((r) => r.store === 'pending_signups');
