import { type ApiClient, messageOf } from '../api-client.ts';
import type { SecondFactorStep, Session } from '../api-types.ts';
import { busy, checkbox, feedback, field, fill, h, type View } from '../dom.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { codeForm, enrolmentPanel, recoveryCodesPanel } from './second-factor-view.ts';

export interface SignInOptions {
  api: ApiClient;
  onSignedIn(session: Session): void;
  /** Shown above the form, e.g. why the agent was signed out. */
  notice?: string;
  /** Fills in the email, e.g. for an invitee whose address already has a sign-in. */
  email?: string;
}

/** CK-2: the remember-email cookie's lifetime, as the policy declares it (`parley_remember_email`, P30D). */
const REMEMBER_EMAIL_HINT: MessageKey = 'signIn.rememberHint';

export function signInView(options: SignInOptions): View {
  const { api } = options;
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    maxlength: 254,
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  if (options.email) email.value = options.email;
  const remember = h('input', { name: 'rememberEmail' });
  const status = feedback();
  if (options.notice) status.info(options.notice);
  const form = h(
    'form',
    { class: 'auth-form' },
    field(t('conversation.email'), email),
    field(t('profile.password'), password),
    checkbox(t('signIn.remember'), remember, t(REMEMBER_EMAIL_HINT)),
    status.element,
    h('button', { type: 'submit', class: 'button button-primary button-wide' }, t('signIn.signIn')),
    h('p', { class: 'auth-aside' }, h('a', { href: '#/forgot-password' }, t('signIn.forgot'))),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    try {
      const answer = await busy(form, () =>
        api.signIn({ email: email.value.trim(), password: password.value, rememberEmail: remember.checked }),
      );
      password.value = '';
      if ('secondFactor' in answer) await secondStep(answer);
      else options.onSignedIn(answer);
    } catch (error) {
      status.error(messageOf(error));
      password.focus();
      password.select();
    }
  });

  let live = true;
  // The remembered email arrives from an HttpOnly cookie the page cannot read, so ask the server.
  api
    .rememberedEmail()
    .then(({ email: remembered }) => {
      if (!live || !remembered || email.value !== '') return;
      email.value = remembered;
      remember.checked = true;
      if (document.activeElement === email || document.activeElement === document.body) password.focus();
    })
    .catch(() => {
      // Nothing remembered, or the route is missing: the form works without it.
    });

  const card = h(
    'div',
    { class: 'auth-card' },
    h('p', { class: 'brand' }, 'Parley'),
    h('h1', null, t('signIn.signIn')),
    form,
  );
  const element = h('main', { class: 'auth', id: 'main' }, card);

  /** SEC-1: the card's next step, with its own heading, focused. */
  const showStep = (title: string, ...children: Parameters<typeof fill>[1][]) => {
    const heading = h('h1', { tabindex: '-1' }, title);
    fill(card, h('p', { class: 'brand' }, 'Parley'), heading, children);
    heading.focus();
  };

  /** SEC-1: after the password, a code; or, for someone required to have a second factor, setting it up. */
  async function secondStep({ secondFactor, challenge }: SecondFactorStep): Promise<void> {
    const rememberEmail = remember.checked;
    if (secondFactor === 'code') {
      const { form: codeStep, code } = codeForm({
        label: t('signIn.code'),
        hint: t('signIn.codeHint'),
        button: t('signIn.signIn'),
        send: async (value) =>
          options.onSignedIn(await api.signInWithCode({ challenge, code: value, rememberEmail })),
      });
      showStep(t('signIn.enterCode'), codeStep);
      code.focus();
      return;
    }
    const offer = await api.enrolAtSignIn(challenge);
    showStep(
      t('signIn.setUp'),
      h('p', null, t('signIn.setUpText')),
      enrolmentPanel(offer, async (value) => {
        const { recoveryCodes, ...session } = await api.confirmAtSignIn({
          challenge,
          code: value,
          rememberEmail,
        });
        const next = h('button', { type: 'button', class: 'button button-primary' }, t('signIn.continue'));
        next.addEventListener('click', () => options.onSignedIn(session));
        showStep(t('signIn.saveCodes'), recoveryCodesPanel(recoveryCodes, next));
      }),
    );
  }
  queueMicrotask(() => (options.email ? password : email).focus());
  return {
    element,
    destroy() {
      live = false;
    },
  };
}
