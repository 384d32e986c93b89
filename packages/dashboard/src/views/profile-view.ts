import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Profile, SignInRecord } from '../api-types.ts';
import { busy, checkbox, feedback, field, fill, h, uid, type View } from '../dom.ts';
import {
  initialsOf,
  MIN_PASSWORD_LENGTH,
  newPasswordProblem,
  otherSignIns,
  profileChange,
  profileProblem,
  signInLabel,
  visibleName,
} from '../profile-form.ts';
import { page, section } from './page.ts';
import { codeForm, enrolmentPanel, recoveryCodesPanel } from './second-factor-view.ts';

export interface ProfileViewOptions {
  api: ApiClient;
  /** The name changed (the header shows it). */
  onNameChanged(name: string): void;
  /** This very sign-in was ended from the list: the session is over. */
  onSignedOut(): void;
}

const input = (attrs: Record<string, string | number | boolean>) => h('input', attrs);

/**
 * RET-2: everyone's own page: their name and what visitors see, how they hear of new chats, their sign-in email
 * and password, and their sign-ins, any of which they can end.
 */
export function profileView(options: ProfileViewOptions): View {
  const { api } = options;
  let live = true;
  const details = h('div', null, h('p', null, 'Loading your profile…'));
  const email = h('div');
  const signIns = h('div', null, h('p', null, 'Loading your sign-ins…'));
  const secondFactor = h('div', null, h('p', null, 'Loading your second factor…'));

  /** SEC-1: set up, or turn off with a code, a second factor; it is shown as it is now. */
  async function loadSecondFactor(): Promise<void> {
    try {
      const status = await api.secondFactor();
      if (!live) return;
      if (!status.enrolled) {
        const start = h('button', { type: 'button', class: 'button' }, 'Set up a second factor');
        start.addEventListener('click', async () => {
          try {
            const offer = await busy(secondFactor, () => api.startEnrolment());
            fill(
              secondFactor,
              enrolmentPanel(offer, async (code) => {
                const { recoveryCodes } = await api.confirmEnrolment(code);
                const done = h('button', { type: 'button', class: 'button' }, 'I have saved them');
                done.addEventListener('click', () => void loadSecondFactor());
                fill(secondFactor, recoveryCodesPanel(recoveryCodes, done));
                done.focus();
              }),
            );
            secondFactor.querySelector('input')?.focus();
          } catch (error) {
            fill(secondFactor, h('p', { class: 'feedback feedback-error', role: 'alert' }, messageOf(error)));
          }
        });
        fill(
          secondFactor,
          h(
            'p',
            null,
            status.required
              ? 'This installation requires you to sign in with a second factor.'
              : 'Off. With a second factor, signing in also takes a code from an authenticator app on your phone.',
          ),
          start,
        );
        return;
      }
      const left = `${status.recoveryCodesLeft} recovery code${status.recoveryCodesLeft === 1 ? '' : 's'} left.`;
      if (status.required) {
        fill(secondFactor, h('p', null, `On, as this installation requires of owners. ${left}`));
        return;
      }
      const { form } = codeForm({
        label: 'Code to turn it off',
        hint: 'A code from your app, or one of your recovery codes.',
        button: 'Turn off',
        send: async (code) => {
          await api.turnOffSecondFactor(code);
          await loadSecondFactor();
        },
      });
      fill(secondFactor, h('p', null, `On: signing in takes a code from your app. ${left}`), form);
    } catch (error) {
      if (live)
        fill(
          secondFactor,
          h(
            'p',
            { class: 'feedback feedback-error', role: 'alert' },
            describeFailure(error, 'Your second factor'),
          ),
        );
    }
  }

  const renderDetails = (profile: Profile) => {
    const name = input({
      type: 'text',
      value: profile.name,
      required: true,
      maxlength: 80,
      autocomplete: 'name',
    });
    const displayName = input({
      type: 'text',
      value: profile.displayName ?? '',
      maxlength: 80,
      autocomplete: 'off',
    });
    const initials = input({
      type: 'text',
      value: profile.initials ?? '',
      maxlength: 3,
      autocomplete: 'off',
      placeholder: initialsOf(profile.name),
    });
    const sound = h('input', { checked: profile.notifications.sound });
    const desktop = h('input', { checked: profile.notifications.desktop });
    const missed = h('input', { checked: profile.notifications.missedChatMail });
    const shown = h('p', { class: 'hint' }, `Visitors see: ${visibleName(profile)}`);
    const status = feedback();
    const form = h(
      'form',
      { class: 'stack-form' },
      field('Name', name, 'Your colleagues see this name.'),
      field('Display name', displayName, 'What visitors see instead of your name. Optional.'),
      field('Initials', initials, 'Shown to visitors when no name is shown: up to three letters. Optional.'),
      shown,
      h(
        'fieldset',
        null,
        h('legend', null, 'Tell me about new chats'),
        checkbox('With a sound', sound),
        checkbox('With a desktop notification', desktop),
        checkbox('By email when a chat was missed', missed),
      ),
      status.element,
      h('button', { type: 'submit', class: 'button button-primary' }, 'Save profile'),
    );
    let current = profile;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.clear();
      const typed = {
        name: name.value,
        displayName: displayName.value,
        initials: initials.value,
        notifications: { sound: sound.checked, desktop: desktop.checked, missedChatMail: missed.checked },
      };
      const problem = profileProblem(typed);
      if (problem) {
        status.error(problem);
        return;
      }
      const change = profileChange(current, typed);
      if (Object.keys(change).length === 0) {
        status.info('Nothing has changed.');
        return;
      }
      try {
        current = await busy(form, () => api.updateProfile(change));
        shown.textContent = `Visitors see: ${visibleName(current)}`;
        initials.value = current.initials ?? '';
        if (change.name !== undefined) options.onNameChanged(current.name);
        status.success('Your profile is saved.');
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    fill(details, form);
  };

  const renderEmail = (profile: Profile) => {
    const newEmail = input({ type: 'email', required: true, maxlength: 254, autocomplete: 'email' });
    const password = input({ type: 'password', required: true, autocomplete: 'current-password' });
    const status = feedback();
    const pending = h('p', { class: 'hint', hidden: profile.pendingEmail === null });
    const showPending = (address: string | null) => {
      pending.hidden = address === null;
      pending.textContent = address
        ? `Waiting for confirmation: ${address}. Open the link we mailed there; until then your sign-in email stays as it is.`
        : '';
    };
    showPending(profile.pendingEmail);
    const form = h(
      'form',
      { class: 'stack-form' },
      h('dl', { class: 'facts' }, h('dt', null, 'Sign-in email'), h('dd', null, profile.email)),
      pending,
      field(
        'New sign-in email',
        newEmail,
        'We mail a link to this address; it becomes your sign-in once you open it.',
      ),
      field('Your current password', password),
      status.element,
      h('button', { type: 'submit', class: 'button' }, 'Send confirmation link'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.clear();
      try {
        const asked = await busy(form, () =>
          api.changeEmail({ email: newEmail.value.trim(), password: password.value }),
        );
        password.value = '';
        newEmail.value = '';
        showPending(asked.pendingEmail);
        status.success(`A confirmation link is on its way to ${asked.pendingEmail}.`);
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    fill(email, form);
  };

  const passwordStatus = feedback();
  const currentPassword = input({ type: 'password', required: true, autocomplete: 'current-password' });
  const newPassword = input({ type: 'password', required: true, autocomplete: 'new-password' });
  const again = input({ type: 'password', required: true, autocomplete: 'new-password' });
  const passwordForm = h(
    'form',
    { class: 'stack-form' },
    field('Current password', currentPassword),
    field('New password', newPassword, `At least ${MIN_PASSWORD_LENGTH} characters.`),
    field('Type the new one again', again),
    h('p', { class: 'hint' }, 'Changing your password signs you out everywhere else.'),
    passwordStatus.element,
    h('button', { type: 'submit', class: 'button' }, 'Change password'),
  );
  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    passwordStatus.clear();
    const problem = newPasswordProblem(newPassword.value, again.value);
    if (problem) {
      passwordStatus.error(problem);
      return;
    }
    try {
      const { sessionsEnded } = await busy(passwordForm, () =>
        api.changePassword({ currentPassword: currentPassword.value, newPassword: newPassword.value }),
      );
      for (const control of [currentPassword, newPassword, again]) control.value = '';
      passwordStatus.success(
        sessionsEnded === 0
          ? 'Your password is changed.'
          : `Your password is changed, and ${sessionsEnded === 1 ? 'your other sign-in has' : `${sessionsEnded} other sign-ins have`} ended.`,
      );
      void loadSignIns();
    } catch (error) {
      passwordStatus.error(messageOf(error));
    }
  });

  const signInsStatus = feedback();
  const renderSignIns = (records: SignInRecord[]) => {
    const endOthers = h('button', { type: 'button', class: 'button' }, 'Sign out all other sessions');
    endOthers.hidden = otherSignIns(records).length === 0;
    endOthers.addEventListener('click', async () => {
      signInsStatus.clear();
      try {
        const { ended } = await busy(signIns, () => api.endOtherSignIns());
        signInsStatus.success(ended === 1 ? 'One other sign-in ended.' : `${ended} other sign-ins ended.`);
        await loadSignIns();
      } catch (error) {
        signInsStatus.error(messageOf(error));
      }
    });
    const items = records.map((record) => {
      const label = signInLabel(record);
      const detail = h('p', { class: 'hint', id: uid('sign-in') }, label.detail);
      const end = h(
        'button',
        { type: 'button', class: 'button button-small', 'aria-describedby': detail.id },
        record.current ? 'Sign out here' : 'End this sign-in',
      );
      end.addEventListener('click', async () => {
        signInsStatus.clear();
        try {
          const ended = await busy(signIns, () => api.endSignIn(record.id));
          if (ended.current) {
            options.onSignedOut();
            return;
          }
          signInsStatus.success('That sign-in ended.');
          await loadSignIns();
        } catch (error) {
          signInsStatus.error(messageOf(error));
        }
      });
      return h('li', { class: 'sign-in-item' }, h('div', null, h('strong', null, label.title), detail), end);
    });
    fill(signIns, h('ul', { class: 'plain-list', 'aria-label': 'Your sign-ins' }, items), endOthers);
  };

  async function loadSignIns(): Promise<void> {
    try {
      const { sessions } = await api.signIns();
      if (live) renderSignIns(sessions);
    } catch (error) {
      if (live)
        fill(
          signIns,
          h(
            'p',
            { class: 'feedback feedback-error', role: 'alert' },
            describeFailure(error, 'Your sign-ins'),
          ),
        );
    }
  }

  api
    .profile()
    .then((profile) => {
      if (!live) return;
      renderDetails(profile);
      renderEmail(profile);
    })
    .catch((error: unknown) => {
      if (!live) return;
      fill(
        details,
        h('p', { class: 'feedback feedback-error', role: 'alert' }, describeFailure(error, 'Your profile')),
      );
    });
  void loadSignIns();
  void loadSecondFactor();

  return {
    element: page(
      'Your profile',
      'Correct your own details here. Your account’s owner manages the team and the account.',
      section('Name and notifications', details),
      section('Sign-in email', email),
      section('Password', passwordForm),
      section('Second factor', secondFactor),
      section('Your sign-ins', signIns, signInsStatus.element),
    ),
    destroy() {
      live = false;
    },
  };
}
