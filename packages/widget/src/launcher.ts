import type { LauncherSettings } from '@parley/protocol';
import { OPT_OUT_COOKIE } from './cookie-names.ts';
import { accessibleName, CHAT_ICON, icon } from './dom.ts';
import { HANDOVER_KEY, type HandoverWindow, type WidgetHandover } from './handover.ts';
import type { HostApi, HostApiWindow, HostCommand } from './host-api.ts';
import { isLang, LANGUAGES, LAUNCHER_LABELS, pickLanguage } from './language-choice.ts';
import { chatScriptPath } from './routes.ts';
import { isColor } from './theme.ts';

// widget.js, the one tag customers embed. Until the visitor opens the chat it sends nothing to Parley and stores
// nothing in the browser (CK-7): no request, no socket, no cookie, no storage. It only reads `document.cookie` to
// stay hidden for a visitor who turned chat off (CK-4), then draws one button. chat.js is loaded on the first
// click, or when the page calls `Parley('open')`. The build test checks the bundle for anything that could break
// this.

/**
 * A website's own launcher (`/w/KEY/widget.js`) has its settings written here by the server, as JSON in place of
 * the marker (see website-script.ts). The plain `/widget.js` keeps the marker, which is not JSON, so it has none.
 */
const BAKED = '%PARLEY_WEBSITE%';

const CSS = `:host{all:initial}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;min-height:56px;min-width:56px;max-width:min(360px,100vw - 40px);margin:0;padding:0;border:0;border-radius:28px;display:flex;align-items:center;justify-content:center;gap:8px;background:var(--pw-brand,#2a5d9f);color:var(--pw-on-brand,#fff);font:600 15px sans-serif;cursor:pointer;box-shadow:0 4px 14px #10182848}
:host([data-position=left]) .launcher{left:20px;right:auto}
.launcher:hover{filter:brightness(.9)}
svg{flex:none;width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.pill{padding:0 22px 0 14px}
.greet{padding:8px 18px;border-radius:20px}
@media print{.launcher{display:none}}`;

function optedOut(): boolean {
  try {
    return new RegExp(`(^|;) *${OPT_OUT_COOKIE}=`).test(document.cookie);
  } catch {
    // A sandboxed frame cannot read cookies; it could not have stored an opt-out either.
    return false;
  }
}

function start(): void {
  const win = window as HandoverWindow & HostApiWindow;
  let settings: Partial<LauncherSettings> = {};
  try {
    settings = JSON.parse(BAKED) || {};
  } catch {
    // The plain /widget.js: no settings, the account comes from data-account.
  }
  // A classic script knows its own tag while it runs, async or not.
  const script = document.currentScript as HTMLScriptElement | null;
  const account = settings.key || script?.dataset.account;

  // The page's API exists even where the widget stays hidden, so that a page's calls never throw. Calls made
  // before widget.js loaded (the README's stub collects them in `Parley.q`) run first, in order.
  const waiting: HostCommand[] = [...(win.Parley?.q ?? [])];
  let act: ((command: HostCommand) => void) | undefined;
  const api: HostApi = (...command) => (act ? act(command) : waiting.push(command));
  win.Parley = api;

  if (!script || !account || optedOut()) return;
  // The `src` property is always the absolute URL.
  const origin = new URL(script.src).origin;

  const mount = (): void => {
    if (win[HANDOVER_KEY]) return;
    const offered = settings.languages?.filter(isLang) ?? [];
    const lang = pickLanguage(offered[0] ? offered : LANGUAGES, [
      ...navigator.languages,
      document.documentElement.lang,
    ]);
    const color = isColor(settings.color) ? settings.color : '';
    const host = document.createElement('parley-widget');
    // The style sheet moves the launcher for `left` only; anything else leaves it on the right.
    host.dataset.position = String(settings.position);
    const root = host.attachShadow({ mode: 'open' });
    const onColor = color && (isColor(settings.onColor) ? settings.onColor : '#fff');
    // A constructed sheet, so that a page whose Content-Security-Policy forbids inline styles still shows the
    // launcher; every browser since 2023 has them, and one without gets no launcher rather than a broken one.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(color ? `${CSS}:host{--pw-brand:${color};--pw-on-brand:${onColor}}` : CSS);
    root.adoptedStyleSheets = [sheet];
    const launcher = document.createElement('button');
    // ARIA reflection, as in every browser since 2023 (constructed sheets below need as much).
    launcher.ariaHasPopup = 'dialog';
    launcher.ariaExpanded = 'false';
    launcher.appendChild(icon(CHAT_ICON));
    // Up to 40 characters; on a narrow phone a long label wraps to a second line within the button.
    const label = settings.label?.trim() || '';
    const text = document.createElement('span');
    launcher.appendChild(text);
    // The launcher as the website set it, or saying `words`: what the button does comes after the words on screen,
    // so that its name starts with them and voice control can say it (WCAG 2.5.3).
    const say = (words: string, look: string): void => {
      text.textContent = words;
      launcher.className = `launcher${words ? ` pill${look}` : ''}`;
      launcher.ariaLabel = accessibleName(words, LAUNCHER_LABELS[lang]);
    };
    say(label, '');
    root.appendChild(launcher);
    const handover: WidgetHandover = {
      origin,
      account,
      script,
      host,
      root,
      launcher,
      lang,
      label,
      queue: [],
    };
    if (color) handover.color = [color, onColor];
    win[HANDOVER_KEY] = handover;

    let loading = false;
    const load = (): void => {
      if (loading) return;
      // The visitor acted (or the page opened the chat for them): only now does anything reach Parley.
      loading = true;
      say(label, '');
      const chat = document.createElement('script');
      chat.src = origin + chatScriptPath(lang);
      // A script added by a script is async already.
      chat.onerror = () => {
        chat.remove();
        loading = false;
      };
      document.head.appendChild(chat);
    };
    launcher.addEventListener('click', () => (handover.toggle ? handover.toggle() : load()));
    act = (command) => {
      const name = command[0];
      if (name === 'hide') host.style.display = 'none';
      else if (name === 'show') host.style.display = '';
      else if (handover.run) handover.run(command);
      // Before the chat is loaded there is nothing to close, unless an opening is on its way; a stale close must not
      // shut the chat the visitor opens later.
      else if (name !== 'close' || loading) {
        handover.queue.push(command);
        if (name === 'open') load();
      }
    };
    for (const command of waiting.splice(0)) act(command);
    // The proactive greeting: after its delay, if the visitor is still on a page it is for and has not opened the
    // chat, the launcher says it. Nothing is requested or stored for it; the chat starts with it when opened.
    const greet = settings.greet;
    if (greet) {
      const path = new RegExp(greet.path);
      if (path.test(location.pathname))
        setTimeout(() => {
          if (loading || !path.test(location.pathname)) return;
          handover.greeting = greet.text;
          say(greet.text, ' greet');
        }, greet.after * 1e3);
    }
    document.body.appendChild(host);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
}

start();
