import { type ApiClient, ApiError, messageOf } from '../api-client.ts';
import { busy, feedback, field, fill, h, hiddenUsername, type View } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { MIN_PASSWORD_LENGTH, newPasswordProblem } from '../profile-form.ts';

// RET-2: "forgot password": ask for a link by email, then choose a new password from the link's page.

/** Fills a signed-out page's card: the brand, a heading, then its content. */
export function fillCard(card: HTMLElement, title: string, ...content: Array<Node | null>): HTMLElement {
  fill(card, h('p', { class: 'brand' }, 'Parley'), h('h1', null, title), content);
  return card;
}

/** The card of a signed-out page. */
export const authCard = (title: string, ...content: Array<Node | null>): HTMLElement =>
  fillCard(h('div', { class: 'auth-card' }), title, ...content);

/** A failure shown on a signed-out page, as an alert. */
export const alertLine = (text: string) => h('p', { class: 'feedback feedback-error', role: 'alert' }, text);

const backToSignIn = () =>
  h('p', { class: 'auth-aside' }, h('a', { href: '#/' }, t('recovery.backToSignIn')));

export function forgotPasswordView(options: { api: ApiClient; email?: string }): View {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    maxlength: 254,
  });
  if (options.email) email.value = options.email;
  const status = feedback();
  const form = h(
    'form',
    { class: 'auth-form' },
    h('p', null, t('recovery.forgotText')),
    field(t('conversation.email'), email),
    status.element,
    h('button', { type: 'submit', class: 'button button-primary button-wide' }, t('recovery.mailLink')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    try {
      const { message } = await busy(form, () => options.api.askPasswordReset(email.value.trim()));
      status.success(message);
    } catch (error) {
      status.error(messageOf(error));
    }
  });
  queueMicrotask(() => email.focus());
  return {
    element: h('main', { class: 'auth', id: 'main' }, authCard(t('signIn.forgot'), form, backToSignIn())),
    destroy() {},
  };
}

export interface ResetPasswordOptions {
  api: ApiClient;
  token: string;
  /** The password is set: the person signs in with it, the email filled in. */
  onDone(email: string): void;
}

export function resetPasswordView(options: ResetPasswordOptions): View {
  const { api, token } = options;
  const title = t('recovery.choose');
  const card = authCard(title, h('p', null, t('recovery.checking')));
  let live = true;

  api
    .passwordReset(token)
    .then(({ email }) => {
      if (!live) return;
      const password = h('input', { type: 'password', autocomplete: 'new-password', required: true });
      const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
      const status = feedback();
      const form = h(
        'form',
        { class: 'auth-form' },
        h('dl', { class: 'facts' }, h('dt', null, t('conversation.email')), h('dd', null, email)),
        hiddenUsername(email),
        field(t('profile.newPassword'), password, t('profile.atLeast', { count: MIN_PASSWORD_LENGTH })),
        field(t('recovery.again'), again),
        h('p', { class: 'hint' }, t('recovery.signsOut')),
        status.element,
        h('button', { type: 'submit', class: 'button button-primary button-wide' }, t('recovery.set')),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        status.clear();
        const problem = newPasswordProblem(password.value, again.value);
        if (problem) {
          status.error(problem);
          return;
        }
        try {
          const done = await busy(form, () => api.resetPassword(token, password.value));
          options.onDone(done.email);
        } catch (error) {
          status.error(messageOf(error));
        }
      });
      fillCard(card, title, form);
      password.focus();
    })
    .catch((error: unknown) => {
      if (!live) return;
      fillCard(
        card,
        title,
        alertLine(error instanceof ApiError && error.status === 404 ? error.message : messageOf(error)),
        h('p', { class: 'auth-aside' }, h('a', { href: '#/forgot-password' }, t('recovery.newLink'))),
      );
    });

  return {
    element: h('main', { class: 'auth', id: 'main' }, card),
    destroy() {
      live = false;
    },
  };
}
