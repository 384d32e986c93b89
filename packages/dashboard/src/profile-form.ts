import type { NotificationSettings, Profile, ProfileChange, SignInRecord } from './api-types.ts';
import { formatFull } from './format.ts';
import { t } from './i18n/i18n.ts';

// RET-2: the rules behind the "Your profile" page and the password forms, kept apart from the DOM so that they can
// be tested on their own.

/** The server's rule for a password a person chooses (invitation, change, reset). */
export const MIN_PASSWORD_LENGTH = 10;

/** What the profile form holds, as typed. */
export interface ProfileForm {
  name: string;
  displayName: string;
  initials: string;
  notifications: NotificationSettings;
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** Only what differs from the stored profile, so that saving an untouched form changes (and audits) nothing. */
export function profileChange(before: Profile, form: ProfileForm): ProfileChange {
  const change: ProfileChange = {};
  if (form.name.trim() !== before.name) change.name = form.name.trim();
  if (orNull(form.displayName) !== before.displayName) change.displayName = orNull(form.displayName);
  const initials = orNull(form.initials)?.toUpperCase() ?? null;
  if (initials !== before.initials) change.initials = initials;
  const notifications: Partial<NotificationSettings> = {};
  for (const key of ['sound', 'desktop', 'missedChatMail'] as const)
    if (form.notifications[key] !== before.notifications[key]) notifications[key] = form.notifications[key];
  if (Object.keys(notifications).length > 0) change.notifications = notifications;
  return change;
}

/** Why the profile form cannot be sent as it is, or null. */
export function profileProblem(form: ProfileForm): string | null {
  if (form.name.trim() === '') return t('profile.nameMissing');
  if (!/^\p{L}{0,3}$/u.test(form.initials.trim())) return t('profile.initialsWrong');
  return null;
}

/** Initials to suggest from a name: the first letter of its first two words. */
export function initialsOf(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => [...word].find((char) => /\p{L}/u.test(char)) ?? '')
    .join('')
    .toUpperCase();
}

/** What visitors see of the agent: the display name, else the initials, else the name. */
export function visibleName(profile: Pick<Profile, 'name' | 'displayName' | 'initials'>): string {
  return profile.displayName ?? profile.initials ?? profile.name;
}

/** Why a new password (typed twice) cannot be used, or null. */
export function newPasswordProblem(password: string, again: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return t('profile.passwordShort', { count: MIN_PASSWORD_LENGTH });
  if (password !== again) return t('profile.passwordsDiffer');
  return null;
}

/** One sign-in as its owner reads it in the list. */
export function signInLabel(record: SignInRecord, lang?: string): { title: string; detail: string } {
  return {
    title: record.current ? t('profile.thisSession') : t('profile.anotherSession'),
    detail: t('profile.sessionTimes', {
      start: formatFull(record.createdAt, lang),
      end: formatFull(record.expiresAt, lang),
    }),
  };
}

/** The other sign-ins first ended by "sign out everywhere else": the current one is never in it. */
export const otherSignIns = (records: readonly SignInRecord[]): SignInRecord[] =>
  records.filter((record) => !record.current);
