import {
  createChime,
  desktopNotificationsSupported,
  showBadge,
  showDesktopNotification,
} from '../alert-outputs.ts';
import { type Alert, AlertRules, attentionCount, LONG_WAIT_MS } from '../alerts.ts';
import type { NotificationSettings } from '../api-types.ts';
import { t } from '../i18n/i18n.ts';
import type { LiveInbox, LiveState } from '../live-inbox.ts';
import { visitorLabel } from './conversation-list-view.ts';

export interface AlertsOptions {
  live: LiveInbox;
  /** The signed-in agent's id. */
  me: string | undefined;
  /** Opens a conversation in the inbox: a notification about it was clicked. */
  open(conversationId: string): void;
}

export interface AlertsController {
  /** The agent's choices from their profile; until they are known, only the title and icon count. */
  setSettings(settings: Pick<NotificationSettings, 'sound' | 'desktop'>): void;
  stop(): void;
}

/** How often waiting chats are checked against the waiting limit; a reminder may come this much late. */
const OVERDUE_CHECK_MS = 15_000;

function describe(alert: Alert): { title: string; body: string } {
  const visitor = visitorLabel(alert.conversation);
  switch (alert.kind) {
    case 'new-chat':
      return { title: t('alerts.newChat'), body: visitor };
    case 'message':
      return { title: t('alerts.message', { visitor }), body: t('alerts.openHint') };
    case 'long-wait':
      return {
        title: t('alerts.longWait', { visitor, minutes: Math.round(LONG_WAIT_MS / 60_000) }),
        body: t('alerts.openHint'),
      };
  }
}

/**
 * Connects the alert rules to the live inbox and to the browser: the count in the tab's title and icon always, a
 * sound and desktop notifications as the agent chose. Desktop notifications are shown only while the dashboard is
 * not the focused window: while it is, the page itself and the screen reader announcements tell the news.
 */
export function startAlerts(options: AlertsOptions): AlertsController {
  const { live } = options;
  const rules = new AlertRules({ me: options.me });
  const chime = createChime();
  let settings: Pick<NotificationSettings, 'sound' | 'desktop'> = { sound: false, desktop: false };
  /** Visitor messages in the open chat that came while the tab was hidden: the inbox counts them as read. */
  let unseenOpen = 0;

  const refreshBadge = () => showBadge(attentionCount(live.state.inbox, unseenOpen));

  const raise = (alerts: readonly Alert[]) => {
    if (alerts.length === 0) return;
    if (settings.sound) chime.play();
    if (!settings.desktop || document.hasFocus()) return;
    for (const alert of alerts) {
      const { title, body } = describe(alert);
      showDesktopNotification(title, body, alert.conversation.id, () => options.open(alert.conversation.id));
    }
  };

  const onState = (state: LiveState, previous: LiveState) => {
    if (state.inbox === previous.inbox) return;
    if (state.inbox.openId !== previous.inbox.openId) unseenOpen = 0;
    // The first snapshot on a connection is a load, not news.
    if (previous.ready) {
      const alerts = rules.changed(previous.inbox, state.inbox, { hidden: document.hidden });
      for (const alert of alerts)
        if (alert.kind === 'message' && alert.conversation.id === state.inbox.openId) unseenOpen += 1;
      raise(alerts);
    }
    refreshBadge();
  };

  const onVisibility = () => {
    if (document.hidden) return;
    unseenOpen = 0;
    refreshBadge();
  };

  const unsubscribe = live.subscribe(onState);
  document.addEventListener('visibilitychange', onVisibility);
  const timer = setInterval(() => {
    if (live.state.ready) raise(rules.overdue(live.state.inbox, Date.now()));
  }, OVERDUE_CHECK_MS);
  refreshBadge();

  return {
    setSettings(next) {
      settings = { sound: next.sound, desktop: next.desktop && desktopNotificationsSupported() };
    },
    stop() {
      unsubscribe();
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      chime.stop();
      showBadge(0);
    },
  };
}
