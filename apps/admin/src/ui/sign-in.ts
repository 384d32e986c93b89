import { api, errorMessage, setCsrfToken } from './api.ts';
import { field, h, notice, replaceChildren, whileBusy } from './dom.ts';
import type { Me } from './view.ts';

/** The sign-in page. `message` explains why it is shown (signed out, session ended). */
export function renderSignIn(root: HTMLElement, onSignedIn: (me: Me) => void, message?: string): void {
  document.title = 'Sign in · Parley admin';
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    spellcheck: false,
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, 'Sign in');
  const form = h(
    'form',
    { class: 'form', 'aria-labelledby': 'sign-in-title' },
    field('Email', email),
    field('Password', password),
    status,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(status);
    try {
      const me = await whileBusy(submit, () =>
        api.auth.signIn.mutate({ email: email.value, password: password.value }),
      );
      setCsrfToken(me.csrfToken);
      onSignedIn(me);
    } catch (error) {
      replaceChildren(status, notice('bad', errorMessage(error)));
      password.value = '';
      password.focus();
    }
  });
  replaceChildren(
    root,
    h(
      'main',
      { class: 'sign-in' },
      h(
        'div',
        { class: 'sign-in-card' },
        h('p', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Parley admin'),
        h('h1', { id: 'sign-in-title' }, 'Sign in'),
        h(
          'p',
          { class: 'hint' },
          'For the staff who run this installation. Signing in sets one cookie, parley_admin_session, which ends when you sign out, close the browser or after eight hours.',
        ),
        message ? notice('info', message) : null,
        form,
      ),
    ),
  );
  email.focus();
}
