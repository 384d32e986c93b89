import { type ApiClient, messageOf } from '../api-client.ts';
import type { Session } from '../api-types.ts';
import { busy, checkbox, feedback, field, h, type View } from '../dom.ts';

export interface SignInOptions {
  api: ApiClient;
  onSignedIn(session: Session): void;
  /** Shown above the form, e.g. why the agent was signed out. */
  notice?: string;
  /** Fills in the email, e.g. for an invitee whose address already has a sign-in. */
  email?: string;
}

/** CK-2: the remember-email cookie's lifetime, as the policy declares it (`parley_remember_email`, P30D). */
const REMEMBER_EMAIL_HINT =
  'Keeps your email address in a cookie for 30 days to fill in this form, even after you sign out. Untick it to remove the cookie.';

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
    field('Email', email),
    field('Password', password),
    checkbox('Remember my email', remember, REMEMBER_EMAIL_HINT),
    status.element,
    h('button', { type: 'submit', class: 'button button-primary button-wide' }, 'Sign in'),
    h('p', { class: 'auth-aside' }, h('a', { href: '#/forgot-password' }, 'Forgot your password?')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    try {
      const session = await busy(form, () =>
        api.signIn({ email: email.value.trim(), password: password.value, rememberEmail: remember.checked }),
      );
      password.value = '';
      options.onSignedIn(session);
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

  const element = h(
    'main',
    { class: 'auth', id: 'main' },
    h('div', { class: 'auth-card' }, h('p', { class: 'brand' }, 'Parley'), h('h1', null, 'Sign in'), form),
  );
  queueMicrotask(() => (options.email ? password : email).focus());
  return {
    element,
    destroy() {
      live = false;
    },
  };
}
