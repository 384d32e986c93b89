import { type ApiClient, ApiError, messageOf } from '../api-client.ts';
import type { Session } from '../api-types.ts';
import { busy, feedback, field, fill, h, hiddenUsername, type View } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { MIN_PASSWORD_LENGTH, newPasswordProblem } from '../profile-form.ts';

export interface InviteOptions {
  api: ApiClient;
  token: string;
  onSignedIn(session: Session): void;
  /** The invitee's address already has a sign-in: they go to the sign-in form with it filled in. */
  onSignInInstead(email: string): void;
}

/** An invited agent's first visit: see who invited them, set a password, and be signed in. */
export function inviteView(options: InviteOptions): View {
  const { api, token } = options;
  const card = h(
    'div',
    { class: 'auth-card' },
    h('p', { class: 'brand' }, 'Parley'),
    h('p', null, t('invite.loading')),
  );
  let live = true;

  /** Only the invitee learns that the address is in use, here, and how to sign in with it instead. */
  const showInUse = (email: string, message: string) => {
    const signIn = h(
      'button',
      { type: 'button', class: 'button button-primary button-wide' },
      t('invite.goToSignIn'),
    );
    signIn.addEventListener('click', () => options.onSignInInstead(email));
    fill(
      card,
      h('p', { class: 'brand' }, 'Parley'),
      h('h1', null, t('invite.alreadyHave')),
      h('p', { class: 'feedback feedback-error', role: 'alert' }, message),
      h('dl', { class: 'facts' }, h('dt', null, t('conversation.email')), h('dd', null, email)),
      signIn,
    );
    signIn.focus();
  };

  api
    .invitation(token)
    .then((invitation) => {
      if (!live) return;
      const password = h('input', {
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        // The length is checked on submit with a message of ours; the browser's tooltip would say less.
      });
      const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
      const status = feedback();
      const form = h(
        'form',
        { class: 'auth-form' },
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, t('conversation.name')),
          h('dd', null, invitation.name),
          h('dt', null, t('conversation.email')),
          h('dd', null, invitation.email),
        ),
        hiddenUsername(invitation.email),
        field(t('invite.choosePassword'), password, t('profile.atLeast', { count: MIN_PASSWORD_LENGTH })),
        field(t('recovery.again'), again),
        status.element,
        h('button', { type: 'submit', class: 'button button-primary button-wide' }, t('invite.setAndSignIn')),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        status.clear();
        const problem = newPasswordProblem(password.value, again.value);
        if (problem) {
          status.error(problem);
          (password.value.length < MIN_PASSWORD_LENGTH ? password : again).focus();
          return;
        }
        try {
          const session = await busy(form, () => api.acceptInvitation(token, password.value));
          options.onSignedIn(session);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'email_taken')
            showInUse(invitation.email, error.message);
          else status.error(messageOf(error));
        }
      });
      fill(
        card,
        h('p', { class: 'brand' }, 'Parley'),
        h('h1', null, t('invite.join', { organization: invitation.organization })),
        h('p', null, t('invite.text')),
        form,
      );
      password.focus();
    })
    .catch((error: unknown) => {
      if (!live) return;
      const gone = error instanceof ApiError && (error.status === 404 || error.status === 410);
      fill(
        card,
        h('p', { class: 'brand' }, 'Parley'),
        h('h1', null, t('invite.invitation')),
        h(
          'p',
          { class: 'feedback feedback-error', role: 'alert' },
          gone ? t('invite.gone') : messageOf(error),
        ),
        h('p', null, h('a', { href: '#/' }, t('invite.goToSignIn'))),
      );
    });

  return {
    element: h('main', { class: 'auth', id: 'main' }, card),
    destroy() {
      live = false;
    },
  };
}
