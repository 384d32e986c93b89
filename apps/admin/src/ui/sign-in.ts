import { qrSvg } from '@parley/dashboard/qr-svg';
import { api, errorMessage, type Outputs, setCsrfToken } from './api.ts';
import { type Child, field, h, notice, replaceChildren, whileBusy } from './dom.ts';
import type { Me } from './view.ts';

type Offer = Outputs['auth']['startEnrolment'];

/** One card of the sign-in page, with its title, and the control to focus. */
function card(root: HTMLElement, title: string, focus: HTMLElement | null, ...children: Child[]): void {
  replaceChildren(
    root,
    h(
      'main',
      { class: 'sign-in' },
      h(
        'div',
        { class: 'sign-in-card' },
        h('p', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Parley admin'),
        h('h1', { id: 'sign-in-title' }, title),
        ...children,
      ),
    ),
  );
  focus?.focus();
}

/** A form whose submit runs `action`, showing its failure in the form; returns the form. */
function stepForm(
  controls: Child[],
  label: string,
  action: () => Promise<void>,
  onFailure: () => void = () => undefined,
): HTMLFormElement {
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, label);
  const form = h(
    'form',
    { class: 'form', 'aria-labelledby': 'sign-in-title' },
    ...controls,
    status,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(status);
    try {
      await whileBusy(submit, action);
    } catch (error) {
      replaceChildren(status, notice('bad', errorMessage(error)));
      onFailure();
    }
  });
  return form;
}

const codeInput = (): HTMLInputElement =>
  h('input', {
    type: 'text',
    name: 'code',
    autocomplete: 'one-time-code',
    required: true,
    spellcheck: false,
    maxlength: 32,
  });

/** SEC-1: the code from the staff member's app, or one of their recovery codes. */
function renderCodeStep(root: HTMLElement, challenge: string, onSignedIn: (me: Me) => void): void {
  const code = codeInput();
  const form = stepForm(
    [field('Code', code, 'The six digits your authenticator app shows, or one of your recovery codes.')],
    'Continue',
    async () => {
      const me = await api.auth.signInWithCode.mutate({ challenge, code: code.value });
      setCsrfToken(me.csrfToken);
      onSignedIn(me);
    },
    () => {
      code.value = '';
      code.focus();
    },
  );
  card(root, 'Enter your code', code, form);
}

/** The recovery codes, shown once, before the console opens. */
function renderRecoveryCodes(root: HTMLElement, me: Me, codes: string[], onSignedIn: (me: Me) => void): void {
  const next = h('button', { type: 'button', class: 'button primary wide' }, 'I have saved them; continue');
  next.addEventListener('click', () => onSignedIn(me));
  card(
    root,
    'Save your recovery codes',
    next,
    h(
      'p',
      { class: 'hint' },
      'Each of these codes signs you in once if you lose your phone. They are shown only now: keep them somewhere safe.',
    ),
    h(
      'ul',
      { class: 'recovery-codes', 'aria-label': 'Recovery codes' },
      ...codes.map((c) => h('li', {}, h('code', {}, c))),
    ),
    h('div', { class: 'actions' }, next),
  );
}

/** SEC-1: a staff member without a second factor sets one up before anything else works. */
function renderEnrolStep(
  root: HTMLElement,
  challenge: string,
  offer: Offer,
  onSignedIn: (me: Me) => void,
): void {
  const code = codeInput();
  const form = stepForm(
    [field('Code from the app', code, 'Type the six digits the app shows for Parley console.')],
    'Turn on',
    async () => {
      const { recoveryCodes, ...me } = await api.auth.confirmEnrolment.mutate({
        challenge,
        code: code.value,
      });
      setCsrfToken(me.csrfToken);
      renderRecoveryCodes(root, me, recoveryCodes, onSignedIn);
    },
    () => code.focus(),
  );
  card(
    root,
    'Set up your second factor',
    code,
    h(
      'p',
      { class: 'hint' },
      'Staff sign in with a code from an authenticator app as well as their password. Scan this code with the app, or type the key into it.',
    ),
    h('div', { class: 'qr-frame' }, qrSvg(offer.qr, 'QR code of your second-factor key')),
    h('p', {}, 'Key: ', h('code', { class: 'secret', 'data-secret': offer.secret }, offer.secret)),
    form,
  );
}

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
  const form = stepForm(
    [field('Email', email), field('Password', password)],
    'Sign in',
    async () => {
      const { secondFactor, challenge } = await api.auth.signIn.mutate({
        email: email.value,
        password: password.value,
      });
      if (secondFactor === 'code') return renderCodeStep(root, challenge, onSignedIn);
      renderEnrolStep(root, challenge, await api.auth.startEnrolment.mutate({ challenge }), onSignedIn);
    },
    () => {
      password.value = '';
      password.focus();
    },
  );
  card(
    root,
    'Sign in',
    email,
    h(
      'p',
      { class: 'hint' },
      'For the staff who run this installation. Signing in sets one cookie, parley_admin_session, which ends when you sign out, close the browser or after eight hours.',
    ),
    message ? notice('info', message) : null,
    form,
  );
}
