import { askForDesktopNotifications } from '../alert-outputs.ts';
import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { NotificationSettings, Profile, SignInRecord } from '../api-types.ts';
import { busy, checkbox, feedback, field, fill, h, uid, type View } from '../dom.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language, t } from '../i18n/i18n.ts';
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
  /** The agent chose another dashboard language (null: the browser's); the dashboard redraws in it. */
  onLanguageChanged(language: Language | null): void;
  /** The agent saved how they want to be alerted; the dashboard follows at once. */
  onNotificationsChanged(settings: NotificationSettings): void;
}

const input = (attrs: Record<string, string | number | boolean>) => h('input', attrs);

/**
 * RET-2: everyone's own page: their name and what visitors see, how they hear of new chats, their sign-in email
 * and password, and their sign-ins, any of which they can end.
 */
export function profileView(options: ProfileViewOptions): View {
  const { api } = options;
  let live = true;
  const details = h('div', null, h('p', null, t('profile.loading')));
  const email = h('div');
  const signIns = h('div', null, h('p', null, t('profile.loadingSignIns')));
  const secondFactor = h('div', null, h('p', null, t('profile.loadingSecondFactor')));

  /** SEC-1: set up, or turn off with a code, a second factor; it is shown as it is now. */
  async function loadSecondFactor(): Promise<void> {
    try {
      const status = await api.secondFactor();
      if (!live) return;
      if (!status.enrolled) {
        const start = h('button', { type: 'button', class: 'button' }, t('profile.setUpSecondFactor'));
        start.addEventListener('click', async () => {
          try {
            const offer = await busy(secondFactor, () => api.startEnrolment());
            fill(
              secondFactor,
              enrolmentPanel(offer, async (code) => {
                const { recoveryCodes } = await api.confirmEnrolment(code);
                const done = h('button', { type: 'button', class: 'button' }, t('profile.savedThem'));
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
          h('p', null, status.required ? t('profile.secondFactorRequired') : t('profile.secondFactorOff')),
          start,
        );
        return;
      }
      const left = t('profile.codesLeft', { count: status.recoveryCodesLeft });
      if (status.required) {
        fill(secondFactor, h('p', null, t('profile.secondFactorOnRequired', { left })));
        return;
      }
      const { form } = codeForm({
        label: t('profile.turnOffCode'),
        hint: t('profile.turnOffHint'),
        button: t('profile.turnOff'),
        send: async (code) => {
          await api.turnOffSecondFactor(code);
          await loadSecondFactor();
        },
      });
      fill(secondFactor, h('p', null, t('profile.secondFactorOn', { left })), form);
    } catch (error) {
      if (live)
        fill(
          secondFactor,
          h(
            'p',
            { class: 'feedback feedback-error', role: 'alert' },
            describeFailure(error, t('profile.secondFactorFeature')),
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
    const desktopHint = h('p', { class: 'hint', role: 'status' });
    // The browser asks for permission only now, when the agent turns desktop alerts on: a gesture of theirs.
    desktop.addEventListener('change', async () => {
      desktopHint.textContent = '';
      if (!desktop.checked) return;
      const permission = await askForDesktopNotifications();
      if (permission === 'granted') return;
      desktop.checked = false;
      desktopHint.textContent =
        permission === 'unsupported'
          ? t('profile.notifyDesktopUnsupported')
          : t('profile.notifyDesktopBlocked');
    });
    const shown = h('p', { class: 'hint' }, t('profile.visitorsSee', { name: visibleName(profile) }));
    const status = feedback();
    const form = h(
      'form',
      { class: 'stack-form' },
      field(t('conversation.name'), name, t('profile.nameHint')),
      field(t('profile.displayName'), displayName, t('profile.displayNameHint')),
      field(t('profile.initials'), initials, t('profile.initialsHint')),
      shown,
      h(
        'fieldset',
        null,
        h('legend', null, t('profile.notifyLegend')),
        checkbox(t('profile.notifySound'), sound),
        checkbox(t('profile.notifyDesktop'), desktop),
        desktopHint,
        checkbox(t('profile.notifyMissed'), missed),
      ),
      status.element,
      h('button', { type: 'submit', class: 'button button-primary' }, t('profile.save')),
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
        status.info(t('privacy.nothingChanged'));
        return;
      }
      try {
        current = await busy(form, () => api.updateProfile(change));
        shown.textContent = t('profile.visitorsSee', { name: visibleName(current) });
        initials.value = current.initials ?? '';
        if (change.name !== undefined) options.onNameChanged(current.name);
        if (change.notifications !== undefined) options.onNotificationsChanged(current.notifications);
        status.success(t('profile.saved'));
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    fill(details, form);
  };

  const languageBody = h('div');
  /** The dashboard's language: the browser's until the agent chooses one, on every device they sign in on. */
  const renderLanguage = (profile: Profile) => {
    const select = h(
      'select',
      { name: 'language' },
      h('option', { value: '' }, t('profile.languageBrowser')),
      LANGUAGES.map((language) => h('option', { value: language, lang: language }, LANGUAGE_NAMES[language])),
    );
    select.value = profile.language ?? '';
    const status = feedback();
    const form = h(
      'form',
      { class: 'stack-form' },
      field(t('profile.language'), select, t('profile.languageHint')),
      status.element,
      h('button', { type: 'submit', class: 'button' }, t('profile.saveLanguage')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.clear();
      const chosen = isLanguage(select.value) ? select.value : null;
      if (chosen === profile.language) {
        status.info(t('privacy.nothingChanged'));
        return;
      }
      try {
        const saved = await busy(form, () => api.updateProfile({ language: chosen }));
        options.onLanguageChanged(saved.language);
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    fill(languageBody, form);
  };

  const renderEmail = (profile: Profile) => {
    const newEmail = input({ type: 'email', required: true, maxlength: 254, autocomplete: 'email' });
    const password = input({ type: 'password', required: true, autocomplete: 'current-password' });
    const status = feedback();
    const pending = h('p', { class: 'hint', hidden: profile.pendingEmail === null });
    const showPending = (address: string | null) => {
      pending.hidden = address === null;
      pending.textContent = address ? t('profile.pendingEmail', { address }) : '';
    };
    showPending(profile.pendingEmail);
    const form = h(
      'form',
      { class: 'stack-form' },
      h('dl', { class: 'facts' }, h('dt', null, t('profile.signInEmail')), h('dd', null, profile.email)),
      pending,
      field(t('profile.newEmail'), newEmail, t('profile.newEmailHint')),
      field(t('profile.yourCurrentPassword'), password),
      status.element,
      h('button', { type: 'submit', class: 'button' }, t('profile.sendLink')),
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
        status.success(t('profile.linkSent', { address: asked.pendingEmail ?? '' }));
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
    field(t('profile.currentPassword'), currentPassword),
    field(t('profile.newPassword'), newPassword, t('profile.atLeast', { count: MIN_PASSWORD_LENGTH })),
    field(t('profile.again'), again),
    h('p', { class: 'hint' }, t('profile.passwordSignsOut')),
    passwordStatus.element,
    h('button', { type: 'submit', class: 'button' }, t('profile.changePassword')),
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
          ? t('profile.passwordChanged')
          : t('profile.passwordChangedEnded', { count: sessionsEnded }),
      );
      void loadSignIns();
    } catch (error) {
      passwordStatus.error(messageOf(error));
    }
  });

  const signInsStatus = feedback();
  const renderSignIns = (records: SignInRecord[]) => {
    const endOthers = h('button', { type: 'button', class: 'button' }, t('profile.endOthers'));
    endOthers.hidden = otherSignIns(records).length === 0;
    endOthers.addEventListener('click', async () => {
      signInsStatus.clear();
      try {
        const { ended } = await busy(signIns, () => api.endOtherSignIns());
        signInsStatus.success(t('profile.othersEnded', { count: ended }));
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
        record.current ? t('profile.signOutHere') : t('profile.endThis'),
      );
      end.addEventListener('click', async () => {
        signInsStatus.clear();
        try {
          const ended = await busy(signIns, () => api.endSignIn(record.id));
          if (ended.current) {
            options.onSignedOut();
            return;
          }
          signInsStatus.success(t('profile.thatEnded'));
          await loadSignIns();
        } catch (error) {
          signInsStatus.error(messageOf(error));
        }
      });
      return h('li', { class: 'sign-in-item' }, h('div', null, h('strong', null, label.title), detail), end);
    });
    fill(signIns, h('ul', { class: 'plain-list', 'aria-label': t('profile.yourSignIns') }, items), endOthers);
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
            describeFailure(error, t('profile.yourSignIns')),
          ),
        );
    }
  }

  api
    .profile()
    .then((profile) => {
      if (!live) return;
      renderDetails(profile);
      renderLanguage(profile);
      renderEmail(profile);
    })
    .catch((error: unknown) => {
      if (!live) return;
      fill(
        details,
        h(
          'p',
          { class: 'feedback feedback-error', role: 'alert' },
          describeFailure(error, t('profile.title')),
        ),
      );
    });
  void loadSignIns();
  void loadSecondFactor();

  return {
    element: page(
      t('profile.title'),
      t('profile.intro'),
      section(t('profile.nameAndNotifications'), details),
      section(t('profile.language'), languageBody),
      section(t('profile.signInEmail'), email),
      section(t('profile.password'), passwordForm),
      section(t('profile.secondFactor'), secondFactor),
      section(t('profile.yourSignIns'), signIns, signInsStatus.element),
    ),
    destroy() {
      live = false;
    },
  };
}
