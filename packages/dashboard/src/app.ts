import { CLOSE_CODES } from '@parley/protocol/close-codes';
import { agentSocketUrl } from './agent-socket.ts';
import { type ApiClient, ApiError } from './api-client.ts';
import type { Session } from './api-types.ts';
import { fill, h, type View } from './dom.ts';
import { setLanguage, t } from './i18n/i18n.ts';
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
      return t('app.sessionExpired');
    case CLOSE_CODES.signedOut:
      return t('app.signedOutElsewhere');
    case CLOSE_CODES.agentRemoved:
      return t('app.agentRemoved');
    case CLOSE_CODES.passwordChanged:
      return t('app.passwordChanged');
    case CLOSE_CODES.accountClosed:
      return t('app.accountClosed');
    case CLOSE_CODES.accountSuspended:
      return t('app.accountSuspended');
    default:
      return t('app.sessionEnded');
  }
}

/**
 * The dashboard's top level: signed out (sign-in or an invitation) or signed in (the shell with its live inbox),
 * and the hash route inside.
 */
export function startApp(root: HTMLElement, api: ApiClient): void {
  // Before anyone signs in, the pages speak the browser's language.
  setLanguage(null);
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
            showSignIn(t('app.newPasswordSet'), email);
          },
        });
      case 'confirm-email':
        return confirmEmailView({
          api,
          token: route.token,
          onDone: (email) => {
            leaveLink();
            if (api.signedIn) void boot();
            else showSignIn(t('app.emailChanged', { email }), email);
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
    // The agent's choice, on any device they sign in on; until they choose, the browser's language.
    setLanguage(session.agent.language);
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
          if (error instanceof ApiError && error.status === 401) showSignIn(t('app.sessionEnded'));
        });
      },
    });
    startShell(session, live);
    live.start();
    const route = parseRoute(location.hash);
    shell?.view.navigate(LINK_PAGES.has(route.name) ? { name: 'inbox', conversationId: null } : route);
  }

  /** The signed-in frame for `session`, on the agent socket `live`. */
  function startShell(session: Session, live: LiveInbox): void {
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
          .finally(() => showSignIn(t('app.signedOut')));
      },
      onAccountClosed: () => {
        api.forget();
        showSignIn(t('app.closed'));
      },
      onSessionEnded: () => {
        api.forget();
        showSignIn(t('app.signedOut'));
      },
      onLanguageChanged: (language) => {
        // Every view reads its words as it is built: rebuild the frame in the new language, on the same socket.
        setLanguage(language);
        if (shell?.live !== live) return;
        startShell({ ...session, agent: { ...session.agent, language } }, live);
        shell.view.navigate({ name: 'profile' });
      },
    });
    shell = { view, live };
    show(view, 'signed-in');
  }

  window.addEventListener('hashchange', () => {
    const route = parseRoute(location.hash);
    if (LINK_PAGES.has(route.name)) showLinkPage(route);
    else if (shell) shell.view.navigate(route);
    // Leaving a link's page for another route: find out whether a session exists.
    else if (mode === 'link') void boot();
  });

  api.onUnauthorized = () => {
    if (shell) showSignIn(t('app.sessionEnded'));
  };

  async function boot(): Promise<void> {
    const route = parseRoute(location.hash);
    if (LINK_PAGES.has(route.name)) {
      showLinkPage(route);
      return;
    }
    show(
      {
        element: h('main', { class: 'auth', id: 'main' }, h('p', { class: 'muted' }, t('app.loading'))),
        destroy() {},
      },
      'loading',
    );
    try {
      startSession(await api.me());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) showSignIn();
      else showSignIn(error instanceof ApiError ? error.message : t('app.unreachable'));
    }
  }

  void boot();
}
