import { describe, expect, it } from 'vitest';
import type { Profile, SignInRecord } from './api-types.ts';
import {
  initialsOf,
  newPasswordProblem,
  otherSignIns,
  profileChange,
  profileProblem,
  signInLabel,
  visibleName,
} from './profile-form.ts';

const stored: Profile = {
  name: 'Adam',
  email: 'adam@acme.test',
  pendingEmail: null,
  displayName: null,
  initials: null,
  language: null,
  notifications: { sound: true, desktop: false, missedChatMail: true },
};
const untouched = { name: 'Adam', displayName: '', initials: '', notifications: stored.notifications };

describe('RET-2: the profile form', () => {
  it('RET-2: sends only what changed, trimmed, with emptied optional fields as null', () => {
    expect(profileChange(stored, untouched)).toEqual({});
    expect(profileChange(stored, { ...untouched, name: ' Adam ' })).toEqual({});
    expect(
      profileChange(stored, {
        name: 'Adam Smith ',
        displayName: ' Adam S. ',
        initials: 'as',
        notifications: { sound: true, desktop: true, missedChatMail: true },
      }),
    ).toEqual({
      name: 'Adam Smith',
      displayName: 'Adam S.',
      initials: 'AS',
      notifications: { desktop: true },
    });
    const withNames = { ...stored, displayName: 'Adam S.', initials: 'AS' };
    expect(profileChange(withNames, { ...untouched, displayName: '  ', initials: '' })).toEqual({
      displayName: null,
      initials: null,
    });
  });

  it.each([
    [{ ...untouched, name: '   ' }, 'Give a name or an alias.'],
    [{ ...untouched, initials: 'A1' }, 'Initials are one to three letters.'],
    [{ ...untouched, initials: 'ABCD' }, 'Initials are one to three letters.'],
    [{ ...untouched, initials: 'ÉL' }, null],
    [untouched, null],
  ])('RET-2: checks the form before sending it (%#)', (form, problem) => {
    expect(profileProblem(form)).toBe(problem);
  });

  it('RET-2: suggests initials and says what visitors see: display name, else initials, else name', () => {
    expect(initialsOf('  adam   smith jones')).toBe('AS');
    expect(initialsOf('Élodie')).toBe('É');
    expect(visibleName(stored)).toBe('Adam');
    expect(visibleName({ ...stored, initials: 'AS' })).toBe('AS');
    expect(visibleName({ ...stored, initials: 'AS', displayName: 'Adam S.' })).toBe('Adam S.');
  });

  it.each([
    ['short', 'short', 'The password needs at least 10 characters.'],
    ['long enough pass', 'long enough typo', 'The two passwords are different.'],
    ['long enough pass', 'long enough pass', null],
  ])(
    'RET-2: a new password must be long enough and typed the same twice (%s)',
    (password, again, problem) => {
      expect(newPasswordProblem(password, again)).toBe(problem);
    },
  );
});

describe('RET-2: one’s own sign-ins', () => {
  const records: SignInRecord[] = [
    { id: 'a', createdAt: '2026-12-06T09:00:00.000Z', expiresAt: '2026-12-06T21:00:00.000Z', current: false },
    { id: 'b', createdAt: '2026-12-06T08:00:00.000Z', expiresAt: '2026-12-06T20:00:00.000Z', current: true },
  ];

  it('RET-2: marks this session and says when each began and ends', () => {
    expect(signInLabel(records[1]!, 'en-GB')).toEqual({
      title: 'This session',
      detail: expect.stringMatching(/^Signed in 6 Dec 2026, \d\d:00 · ends 6 Dec 2026, \d\d:00$/),
    });
    expect(signInLabel(records[0]!, 'en-GB').title).toBe('Another session');
  });

  it('RET-2: "sign out all other sessions" never counts this one', () => {
    expect(otherSignIns(records).map((r) => r.id)).toEqual(['a']);
    expect(otherSignIns([records[1]!])).toEqual([]);
  });
});
