import { createBrowserCookies } from '@parley/cookies/browser';
import { WIDGET_COOKIES } from './build-constants.ts';
import { CHAT_LANGUAGE, CHAT_STRINGS } from './chat-language.ts';
import { ChatSession, pageWithoutQuery } from './chat-session.ts';
import { type ChatUi, mountChatUi } from './chat-ui.ts';
import { OPT_OUT_COOKIE } from './cookie-names.ts';
import { readPrivacySignals, widgetCookieDecision } from './cookie-rules.ts';
import { HANDOVER_KEY, type HandoverWindow } from './handover.ts';
import { type HostCommand, type HostEvent, readIdentity } from './host-api.ts';

// chat.js: loaded by the launcher when the visitor opens the chat, which is the visitor's act that CK-7 waits for.
// It wires the session (connection, cookies) to the panel and opens it.

function start(): void {
  const win = window as HandoverWindow;
  const handover = win[HANDOVER_KEY];
  if (!handover || handover.toggle) return;
  const cookies = createBrowserCookies(WIDGET_COOKIES, document);
  // Turned off in another tab since this page loaded (CK-4).
  if (cookies.read(OPT_OUT_COOKIE) !== undefined) {
    handover.host.remove();
    return;
  }
  const signals = readPrivacySignals(
    navigator as Navigator & { globalPrivacyControl?: boolean },
    window as unknown as { doNotTrack?: string | null },
    handover.script.dataset,
  );
  const optOut = widgetCookieDecision(WIDGET_COOKIES, { acted: true, optedOut: true, signals }).allowed.find(
    (cookie) => cookie.name === OPT_OUT_COOKIE,
  );
  const pageLang = document.documentElement.lang;
  let ui: ChatUi | undefined;
  const listeners: Record<HostEvent, Array<(detail?: unknown) => void>> = {
    open: [],
    close: [],
    message: [],
  };
  const session = new ChatSession({
    origin: handover.origin,
    account: handover.account,
    cookies,
    declarations: WIDGET_COOKIES,
    signals,
    page: pageWithoutQuery(location.href),
    // The visitor's own tag for the language the widget speaks (de-AT for German), so that agents and the mails
    // the visitor asks for follow the widget; the bare language when it came from the website's default.
    locale:
      [...navigator.languages, pageLang].find(
        (tag) => tag.toLowerCase().split(/[-_]/)[0] === CHAT_LANGUAGE,
      ) ?? CHAT_LANGUAGE,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    onFrame: (frame) => ui?.onFrame(frame),
    onState: (state) => {
      // Turned off in another tab: the server closes this tab's socket too, and the widget goes away here as well.
      if (state === 'stopped' && cookies.read(OPT_OUT_COOKIE) !== undefined) handover.host.remove();
      ui?.onState(state);
    },
  });
  ui = mountChatUi({
    handover,
    session,
    lang: CHAT_LANGUAGE,
    strings: CHAT_STRINGS,
    optOutLifetime: optOut?.lifetime ?? 'P1Y',
    privacySignal: signals.gpc || signals.dnt,
    onEvent: (event, detail) => {
      for (const listener of listeners[event])
        try {
          listener(detail);
        } catch (error) {
          // A page's listener that throws must not break the chat.
          console.error(error);
        }
    },
  });
  const panel = ui;
  handover.toggle = panel.toggle;
  window.addEventListener('online', () => session.retryNow());

  // The page's API (host-api.ts): what it asked before chat.js loaded runs now, in order, after the opening that
  // loaded chat.js; later calls run as they come.
  const run = (command: HostCommand): void => {
    const [name, argument, listener] = Array.from(command);
    if (name === 'open') panel.open();
    else if (name === 'close') panel.close();
    else if (name === 'identify') {
      const { identity, problems } = readIdentity(argument);
      for (const problem of problems) console.error(`Parley identify: ${problem}`);
      if (identity.name || identity.email) panel.identify(identity);
    } else if (name === 'navigate') {
      try {
        const url = new URL(argument === undefined ? location.href : String(argument), location.href);
        session.navigate(pageWithoutQuery(url.href));
      } catch {
        console.error(`Parley navigate: not a URL: ${String(argument)}`);
      }
    } else if (name === 'on') {
      if (
        (argument === 'open' || argument === 'close' || argument === 'message') &&
        typeof listener === 'function'
      )
        listeners[argument].push(listener as (detail?: unknown) => void);
      else console.error('Parley on: expects open, close or message, and a function');
    } else console.error(`Parley: no command ${String(name)}`);
  };
  // Listeners first, so that the page hears of the opening that loaded chat.js.
  const queued = handover.queue.splice(0);
  for (const command of queued) if (command[0] === 'on') run(command);
  panel.open();
  for (const command of queued) if (command[0] !== 'on') run(command);
  handover.run = run;
}

start();
