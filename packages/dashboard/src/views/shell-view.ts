import type { ConnectionState } from '../agent-socket.ts';
import type { ApiClient } from '../api-client.ts';
import type { Account, Session } from '../api-types.ts';
import { arrivals, waitingCount } from '../conversation-list.ts';
import { fill, h, uid, type View } from '../dom.ts';
import { type Language, type MessageKey, t } from '../i18n/i18n.ts';
import type { LiveInbox, LiveState } from '../live-inbox.ts';
import { ACCOUNT_SECTIONS, hrefFor, type Route, type Section } from '../router.ts';
import { isTyping, neighbour, nextWaiting, type ShortcutAction, shortcutFor } from '../shortcuts.ts';
import { accountView } from './account-view.ts';
import { startAlerts } from './alerts-controller.ts';
import { createAnnouncer } from './announcer.ts';
import { cannedRepliesView } from './canned-replies-view.ts';
import { visitorLabel } from './conversation-list-view.ts';
import type { SearchMemory } from './history-search.ts';
import { historyView } from './history-view.ts';
import { type InboxView, inboxView } from './inbox-view.ts';
import { offlineMessagesView } from './offline-messages-view.ts';
import { page } from './page.ts';
import { privacyView } from './privacy-view.ts';
import { profileView } from './profile-view.ts';
import { showShortcutsDialog } from './shortcuts-dialog.ts';
import { statsView } from './stats-view.ts';
import { supportView } from './support-view.ts';
import { teamView } from './team-view.ts';
import { websitesView } from './websites-view.ts';

export interface ShellOptions {
  api: ApiClient;
  live: LiveInbox;
  session: Session;
  onSignOut(): void;
  /** The account was closed; the session is over. */
  onAccountClosed(): void;
  /** This sign-in was ended from the person's own list of sign-ins. */
  onSessionEnded(): void;
  /** The agent chose another dashboard language in their profile (null: the browser's). */
  onLanguageChanged(language: Language | null): void;
}

export interface ShellView extends View {
  navigate(route: Route): void;
}

const NAV: readonly { section: Section; label: MessageKey; href: string }[] = [
  { section: 'inbox', label: 'shell.nav.inbox', href: '#/' },
  { section: 'messages', label: 'shell.nav.messages', href: '#/messages' },
  { section: 'history', label: 'shell.nav.history', href: '#/history' },
  { section: 'replies', label: 'shell.nav.replies', href: '#/replies' },
  { section: 'team', label: 'shell.nav.team', href: '#/team' },
  { section: 'websites', label: 'shell.nav.websites', href: '#/websites' },
  { section: 'account', label: 'shell.nav.account', href: '#/account' },
  { section: 'privacy', label: 'shell.nav.privacy', href: '#/privacy' },
  { section: 'stats', label: 'shell.nav.stats', href: '#/stats' },
  { section: 'support', label: 'shell.nav.support', href: '#/support' },
];

function connectionText(state: ConnectionState, now: number): string {
  switch (state.kind) {
    case 'connected':
      return t('shell.connected');
    case 'connecting':
      return t('shell.connecting');
    case 'waiting': {
      const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return seconds > 0 ? t('shell.retryingIn', { seconds }) : t('shell.reconnecting');
    }
    case 'stopped':
      return t('shell.disconnected');
  }
}

/** The signed-in frame: header (sections, connection, availability, agent, sign out) and the current section. */
export function shellView(options: ShellOptions): ShellView {
  const { api, live, session } = options;
  const me = session.agent;
  const runsAccount = me.role === 'owner' || me.role === 'admin';
  const announcer = createAnnouncer();
  const announce = (text: string) => announcer.say(text);
  // The history's last search, for this signed-in agent only: it ends with the shell, at sign-out.
  const searchMemory: SearchMemory = { last: null };

  const organization = h('span', { class: 'organization' }, session.account.organization);
  const waitingBadge = h('span', { class: 'badge badge-nav', hidden: true });
  const offlineBadge = h('span', { class: 'badge badge-nav', hidden: true });
  const navLinks = new Map<Section, HTMLAnchorElement>();
  const nav = h(
    'nav',
    { class: 'sections', id: uid('sections'), 'aria-label': t('shell.sections') },
    h(
      'ul',
      null,
      NAV.filter((item) => runsAccount || !ACCOUNT_SECTIONS.has(item.section)).map((item) => {
        const link = h(
          'a',
          { href: item.href },
          t(item.label),
          item.section === 'inbox' ? waitingBadge : item.section === 'messages' ? offlineBadge : null,
        );
        navLinks.set(item.section, link);
        return h('li', null, link);
      }),
    ),
  );

  // On a phone the sections fold behind one button, so the header does not take half the screen.
  const menuButton = h(
    'button',
    {
      type: 'button',
      class: 'button button-small menu-button',
      'aria-expanded': 'false',
      'aria-controls': nav.id,
    },
    t('narrow.menu'),
  );
  const showMenu = (open: boolean) => {
    menuButton.setAttribute('aria-expanded', String(open));
    element.dataset.menu = open ? 'open' : 'closed';
  };
  menuButton.addEventListener('click', () => showMenu(menuButton.getAttribute('aria-expanded') !== 'true'));

  const connectionLabel = h('span', { class: 'connection-text' });
  const retryNow = h('button', { type: 'button', class: 'link-button', hidden: true }, t('shell.retryNow'));
  retryNow.addEventListener('click', () => live.reconnectNow());
  const connection = h(
    'div',
    { class: 'connection', 'data-kind': 'connecting' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    connectionLabel,
    retryNow,
  );

  // The text says how things stand ("Away" when off), so nobody reads "Available" beside a switch that is off.
  // Screen readers hear the switch's fixed name with its state: "Available, switch, off".
  const availabilityText = h('span', { class: 'switch-text' }, t('shell.away'));
  const availability = h(
    'button',
    {
      type: 'button',
      role: 'switch',
      class: 'switch',
      'aria-checked': 'false',
      'aria-label': t('shell.available'),
      title: t('shell.availableHint'),
    },
    h('span', { class: 'switch-track', 'aria-hidden': 'true' }, h('span', { class: 'switch-thumb' })),
    availabilityText,
  );
  availability.addEventListener('click', () => {
    const wanted = availability.getAttribute('aria-checked') !== 'true';
    if (!live.setOnline(wanted)) showNotice(t('shell.availabilityOffline'));
    else announce(wanted ? t('shell.nowAvailable') : t('shell.nowAway'));
  });

  // RET-2: the agent's own name opens their profile, where they correct it.
  const agentName = h(
    'a',
    {
      class: 'agent-name',
      href: '#/profile',
      title: me.email,
      // The visible name comes first, so that speaking what one sees still finds the link.
      'aria-label': t('shell.yourProfile', { name: me.name }),
    },
    me.name,
  );
  const shortcutsButton = h(
    'button',
    { type: 'button', class: 'link-button shortcuts-button', title: t('shortcuts.title') },
    h('span', { 'aria-hidden': 'true' }, '?'),
    h('span', { class: 'sr-only' }, t('shortcuts.title')),
  );
  shortcutsButton.addEventListener('click', showShortcutsDialog);
  const signOut = h('button', { type: 'button', class: 'button button-small' }, t('shell.signOut'));
  signOut.addEventListener('click', () => options.onSignOut());

  const noticeText = h('span');
  const noticeClose = h(
    'button',
    { type: 'button', class: 'link-button', 'aria-label': t('shell.dismissMessage') },
    t('shell.dismiss'),
  );
  const noticeBar = h(
    'div',
    { class: 'notice-bar', role: 'alert', hidden: true },
    noticeText,
    ' ',
    noticeClose,
  );
  const showNotice = (text: string) => {
    noticeText.textContent = text;
    noticeBar.hidden = false;
  };
  noticeClose.addEventListener('click', () => {
    noticeBar.hidden = true;
    live.dismissNotice();
  });

  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const skip = h('a', { class: 'skip-link', href: '#main' }, t('shell.skipToContent'));
  skip.addEventListener('click', (event) => {
    // The fragment drives the router, so move focus instead of following the link.
    event.preventDefault();
    main.focus();
  });

  const element = h(
    'div',
    { class: 'shell' },
    skip,
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'topbar-brand' }, h('span', { class: 'brand' }, 'Parley'), organization),
      menuButton,
      nav,
      h('div', { class: 'topbar-tools' }, connection, availability, agentName, shortcutsButton, signOut),
    ),
    noticeBar,
    main,
    announcer.element,
  );

  let section: { name: Section; view: View } | null = null;
  let inbox: InboxView | null = null;

  const setAccount = (account: Account) => {
    organization.textContent = account.organization;
  };

  const alerts = startAlerts({
    live,
    me: me.id,
    open: (conversationId) => {
      location.hash = hrefFor({ name: 'inbox', conversationId });
    },
  });
  api.profile().then(
    (profile) => alerts.setSettings(profile.notifications),
    () => {
      // Without the profile, no sound or notification: the title and icon still count.
    },
  );

  /** The count of unhandled offline messages on their tab. */
  const showOfflineCount = (count: number) => {
    offlineBadge.hidden = count === 0;
    fill(
      offlineBadge,
      h('span', { 'aria-hidden': 'true' }, String(count)),
      h('span', { class: 'sr-only' }, t('offline.unhandledCount', { count })),
    );
  };
  // Offline messages come while nobody is online, so a count fetched when the agent looks again is fresh enough.
  const refreshOfflineCount = () => {
    api.offlineMessages(false).then(
      ({ offlineMessages }) => showOfflineCount(offlineMessages.length),
      () => {
        // The tab keeps its last count; the page itself says what went wrong.
      },
    );
  };
  const onVisible = () => {
    if (!document.hidden) refreshOfflineCount();
  };
  refreshOfflineCount();
  document.addEventListener('visibilitychange', onVisible);

  const renderLive = (state: LiveState, previous: LiveState | null) => {
    const waiting = waitingCount(state.inbox);
    waitingBadge.hidden = waiting === 0;
    fill(
      waitingBadge,
      h('span', { 'aria-hidden': 'true' }, String(waiting)),
      h('span', { class: 'sr-only' }, t('shell.waitingCount', { count: waiting })),
    );
    availability.setAttribute('aria-checked', String(state.online));
    availabilityText.textContent = state.online ? t('shell.available') : t('shell.away');
    availability.disabled = !state.ready;
    connection.dataset.kind = state.connection.kind;
    connectionLabel.textContent = connectionText(state.connection, Date.now());
    connection.title = connectionLabel.textContent;
    retryNow.hidden = state.connection.kind !== 'waiting';
    if (state.notice && state.notice !== previous?.notice) showNotice(state.notice.message);
    if (!previous) return;
    if (state.connection.kind !== previous.connection.kind) {
      if (state.connection.kind === 'connected') announce(t('shell.connectedNow'));
      else if (state.connection.kind === 'waiting' && previous.connection.kind === 'connected') {
        announce(t('shell.connectionLost'));
      }
    }
    if (state.inbox !== previous.inbox && previous.ready) {
      const news = arrivals(previous.inbox, state.inbox);
      for (const entry of news.waiting)
        announce(t('shell.newChatWaiting', { visitor: visitorLabel(entry.summary) }));
      for (const message of news.messages) announce(t('shell.visitorSaid', { text: message.text }));
    }
  };
  renderLive(live.state, null);
  const unsubscribe = live.subscribe((state, previous) => renderLive(state, previous));
  // The reconnect countdown.
  const ticker = setInterval(() => {
    if (live.state.connection.kind === 'waiting')
      connectionLabel.textContent = connectionText(live.state.connection, Date.now());
  }, 1000);

  const openConversation = (conversationId: string | null, none: string) => {
    if (conversationId) location.hash = hrefFor({ name: 'inbox', conversationId });
    else announce(none);
  };

  const runShortcut = (action: ShortcutAction) => {
    const state = live.state.inbox;
    switch (action) {
      case 'next-waiting':
        return openConversation(nextWaiting(state), t('list.nobodyWaiting'));
      case 'next-conversation':
        return openConversation(neighbour(state, 1), t('shortcuts.noConversations'));
      case 'previous-conversation':
        return openConversation(neighbour(state, -1), t('shortcuts.noConversations'));
      case 'close-conversation':
        if (inbox && state.openId) inbox.askToClose();
        else announce(t('inbox.noneOpen'));
        return;
      case 'help':
        showShortcutsDialog();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // A dialog is modal: its own keys only.
    if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
    const action = shortcutFor(event, isTyping(event.target));
    if (!action) return;
    event.preventDefault();
    runShortcut(action);
  };
  document.addEventListener('keydown', onKeyDown);

  const mount = (name: Section, view: View) => {
    section?.view.destroy();
    inbox = null;
    section = { name, view };
    main.replaceChildren(view.element);
    view.element.querySelector<HTMLElement>('.page-title')?.focus({ preventScroll: true });
  };

  const notAllowed = () =>
    page(
      t('shell.notAllowed'),
      null,
      h('p', null, t('shell.notAllowedText')),
      h('p', null, h('a', { href: '#/' }, t('shell.backToConversations'))),
    );

  return {
    element,
    navigate(route) {
      showMenu(false);
      for (const [name, link] of navLinks) {
        if (name === route.name) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      element.dataset.section = route.name;
      if (route.name === 'inbox') {
        if (!inbox) {
          const view = inboxView({ api, live, me, announce });
          mount('inbox', view);
          inbox = view;
        }
        inbox.open(route.conversationId);
        return;
      }
      if (ACCOUNT_SECTIONS.has(route.name) && !runsAccount) {
        mount(route.name, { element: notAllowed(), destroy() {} });
        return;
      }
      switch (route.name) {
        case 'history':
          mount(
            'history',
            historyView({ api, me, conversationId: route.conversationId, search: searchMemory }),
          );
          return;
        case 'messages':
          mount('messages', offlineMessagesView(api, showOfflineCount));
          return;
        case 'team':
          mount('team', teamView(api, me));
          return;
        case 'account':
          mount(
            'account',
            accountView({
              api,
              isOwner: me.role === 'owner',
              onAccountChanged: setAccount,
              onClosed: options.onAccountClosed,
            }),
          );
          return;
        case 'websites':
          mount('websites', websitesView({ api, canEdit: runsAccount }));
          return;
        case 'replies':
          mount('replies', cannedRepliesView({ api, canEdit: runsAccount }));
          return;
        case 'privacy':
          mount('privacy', privacyView(api));
          return;
        case 'profile':
          mount(
            'profile',
            profileView({
              api,
              onNameChanged: (name) => {
                agentName.textContent = name;
              },
              onSignedOut: options.onSessionEnded,
              onLanguageChanged: options.onLanguageChanged,
              onNotificationsChanged: (settings) => alerts.setSettings(settings),
            }),
          );
          return;
        case 'stats':
          mount('stats', statsView(api));
          return;
        case 'support':
          mount('support', supportView(api, route.threadId));
          return;
        default:
          mount('not-found', {
            element: page(
              t('shell.notFound'),
              null,
              h('p', null, h('a', { href: '#/' }, t('shell.backToConversations'))),
            ),
            destroy() {},
          });
      }
    },
    destroy() {
      clearInterval(ticker);
      unsubscribe();
      alerts.stop();
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('visibilitychange', onVisible);
      section?.view.destroy();
      fill(main);
    },
  };
}
