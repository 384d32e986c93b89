import { CLOSE_CODES } from '@parley/protocol/close-codes';
import { agentSocketUrl } from './agent-socket.ts';
import { type ApiClient, ApiError } from './api-client.ts';
import type { Session } from './api-types.ts';
import { fill, h, type View } from './dom.ts';
import { LiveInbox } from './live-inbox.ts';
import { LINK_PAGES, parseRoute, type Route } from './router.ts';
import { confirmEmailView } from './views/confirm-email-view.ts';
import { inviteView } from './views/invite-view.ts';
import { forgotPasswordView, resetPasswordView } from './views/recovery-view.ts';
import { type ShellView, shellView } from './views/shell-view.ts';
import { signInView } from './views/sign-in-view.ts';

/** Why the sign-in page is shown again, from the code the server closed the agent socket with. */
export function signedOutNotice(code: number): string {
  switch (code) {
    case CLOSE_CODES.sessionExpired:
      return 'Your session has expired. Please sign in again.';
    case CLOSE_CODES.signedOut:
      return 'You were signed out, perhaps in another tab. Please sign in again.';
    case CLOSE_CODES.agentRemoved:
      return 'You are no longer a member of this account.';
    case CLOSE_CODES.passwordChanged:
      return 'Your password was changed. Please sign in with the new one.';
    case CLOSE_CODES.accountClosed:
      return 'This account was closed, so its sign-ins have ended.';
    case CLOSE_CODES.accountSuspended:
      return 'The operator of this Parley installation suspended the account, so its sign-ins have ended.';
    default:
      return 'Your session has ended. Please sign in again.';
  }
}

/**
 * The dashboard's top level: signed out (sign-in or an invitation) or signed in (the shell with its live inbox),
 * and the hash route inside.
 */
export function startApp(root: HTMLElement, api: ApiClient): void {
  let view: View | null = null;
  let mode: 'loading' | 'sign-in' | 'link' | 'signed-in' = 'loading';
  let shell: { view: ShellView; live: LiveInbox } | null = null;

  const show = (next: View, nextMode: typeof mode) => {
    view?.destroy();
    view = next;
    mode = nextMode;
    fill(root, next.element);
  };

  const endSession = () => {
    shell?.live.stop();
    shell = null;
    document.title = 'Parley';
  };

  const showSignIn = (notice?: string, email?: string) => {
    endSession();
    show(
      signInView({
        api,
        onSignedIn: startSession,
        ...(notice ? { notice } : {}),
        ...(email ? { email } : {}),
      }),
      'sign-in',
    );
  };

  /** Leaves a link's page (an invitation, a password or email link), so that a reload does not show it again. */
  const leaveLink = () => history.replaceState(null, '', `${location.pathname}${location.search}#/`);

  /** The pages a link in a mail opens: shown without the signed-in frame, whether or not someone is signed in. */
  const linkPage = (route: Route): View | null => {
    switch (route.name) {
      case 'invite':
        return inviteView({
          api,
          token: route.token,
          onSignedIn: (session) => {
            leaveLink();
            startSession(session);
          },
          onSignInInstead: (email) => {
            leaveLink();
            showSignIn(undefined, email);
          },
        });
      case 'forgot-password':
        return forgotPasswordView({ api });
      case 'reset-password':
        return resetPasswordView({
          api,
          token: route.token,
          onDone: (email) => {
            leaveLink();
            api.forget();
            showSignIn('Your new password is set, and every sign-in has ended. Sign in with it.', email);
          },
        });
      case 'confirm-email':
        return confirmEmailView({
          api,
          token: route.token,
          onDone: (email) => {
            leaveLink();
            if (api.signedIn) void boot();
            else showSignIn(`Your sign-in email is now ${email}.`, email);
          },
        });
      default:
        return null;
    }
  };

  const showLinkPage = (route: Route) => {
    const page = linkPage(route);
    if (!page) return;
    endSession();
    show(page, 'link');
  };

  function startSession(session: Session): void {
    endSession();
    const live = new LiveInbox({
      url: agentSocketUrl(location),
      me: session.agent,
      onSignedOut: (code) => {
        if (shell?.live === live) showSignIn(signedOutNotice(code));
      },
      onRefused: () => {
        // 1008 usually means the session ended (expired, signed out elsewhere, agent removed); /me tells for sure.
        api.me().catch((error: unknown) => {
          if (shell?.live !== live) return;
          if (error instanceof ApiError && error.status === 401)
            showSignIn('Your session has ended. Please sign in again.');
        });
      },
    });
    const view = shellView({
      api,
      live,
      session,
      onSignOut: () => {
        // Close the socket first: the server closes it too on sign-out, and that must not read as an expiry.
        endSession();
        api
          .signOut()
          .catch(() => {
            // Signed out locally either way; the server's session cookie expires with the browser session.
          })
          .finally(() => showSignIn('You are signed out.'));
      },
      onAccountClosed: () => {
        api.forget();
        showSignIn('The account is closed.');
      },
      onSessionEnded: () => {
        api.forget();
        showSignIn('You are signed out.');
      },
    });
    shell = { view, live };
    show(view, 'signed-in');
    live.start();
    const route = parseRoute(location.hash);
    view.navigate(LINK_PAGES.has(route.name) ? { name: 'inbox', conversationId: null } : route);
  }

  window.addEventListener('hashchange', () => {
    const route = parseRoute(location.hash);
    if (LINK_PAGES.has(route.name)) showLinkPage(route);
    else if (shell) shell.view.navigate(route);
    // Leaving a link's page for another route: find out whether a session exists.
    else if (mode === 'link') void boot();
  });

  api.onUnauthorized = () => {
    if (shell) showSignIn('Your session has ended. Please sign in again.');
  };

  async function boot(): Promise<void> {
    const route = parseRoute(location.hash);
    if (LINK_PAGES.has(route.name)) {
      showLinkPage(route);
      return;
    }
    show(
      {
        element: h('main', { class: 'auth', id: 'main' }, h('p', { class: 'muted' }, 'Loading Parley…')),
        destroy() {},
      },
      'loading',
    );
    try {
      startSession(await api.me());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) showSignIn();
      else
        showSignIn(
          error instanceof ApiError ? error.message : 'Could not reach Parley. Try again in a moment.',
        );
    }
  }

  void boot();
}
