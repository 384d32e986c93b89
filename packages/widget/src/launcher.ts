import { hasCookie, OPT_OUT_COOKIE } from './cookie-names.ts';
import { CHAT_ICON, icon } from './dom.ts';
import { HANDOVER_KEY, type HandoverWindow, type WidgetHandover } from './handover.ts';
import { CHAT_SCRIPT_PATH, LAUNCHER_SCRIPT_PATH } from './routes.ts';
import { addStyles } from './shadow-style.ts';
import { LAUNCHER_STRINGS, pickLang } from './strings.ts';

// widget.js, the one tag customers embed. Until the visitor opens the chat it sends nothing to Parley and stores
// nothing in the browser (CK-7): no request, no socket, no cookie, no storage. It only reads `document.cookie` to
// stay hidden for a visitor who turned chat off (CK-4), then draws one button. chat.js is loaded on the first
// click. The build test checks the bundle for anything that could break this.

const CSS = `:host{all:initial}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;margin:0;padding:0;border:0;border-radius:50%;display:grid;place-items:center;background:#2a5d9f;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(16,24,40,.28);transition:transform .15s ease,background-color .15s ease;-webkit-tap-highlight-color:transparent}
.launcher:hover{background:#234f88;transform:scale(1.05)}
.launcher:focus-visible{outline:3px solid #1b3f6e;outline-offset:2px;box-shadow:0 0 0 2px #fff,0 4px 14px rgba(16,24,40,.28)}
.launcher[aria-busy=true]{cursor:progress}
.launcher svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}.launcher:hover{transform:none}}
@media print{.launcher{display:none}}`;

/** The launcher's own `<script>`: `currentScript` while it runs, else the tag that names an account. */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.account) return current;
  return document.querySelector<HTMLScriptElement>(`script[data-account][src$="${LAUNCHER_SCRIPT_PATH}"]`);
}

function optedOut(): boolean {
  try {
    return hasCookie(document.cookie, OPT_OUT_COOKIE);
  } catch {
    // A sandboxed frame cannot read cookies; it could not have stored an opt-out either.
    return false;
  }
}

function mount(origin: string, account: string, script: HTMLScriptElement): void {
  const win = window as HandoverWindow;
  if (win[HANDOVER_KEY]) return;
  const host = document.createElement('parley-widget');
  const root = host.attachShadow({ mode: 'open' });
  addStyles(root, CSS);
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-label', LAUNCHER_STRINGS[pickLang(document.documentElement.lang)].open);
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.setAttribute('aria-expanded', 'false');
  launcher.appendChild(icon(CHAT_ICON));
  root.appendChild(launcher);
  const handover: WidgetHandover = { origin, account, script, host, root, launcher };
  win[HANDOVER_KEY] = handover;

  let loading = false;
  launcher.addEventListener('click', () => {
    if (handover.toggle) return handover.toggle();
    if (loading) return;
    // The visitor acted: only now does anything reach the Parley server.
    loading = true;
    launcher.setAttribute('aria-busy', 'true');
    const chat = document.createElement('script');
    chat.src = origin + CHAT_SCRIPT_PATH;
    chat.async = true;
    chat.onerror = () => {
      chat.remove();
      loading = false;
      launcher.removeAttribute('aria-busy');
    };
    document.head.appendChild(chat);
  });
  document.body.appendChild(host);
}

function start(): void {
  const script = ownScript();
  const account = script?.dataset.account;
  if (!script || !account || optedOut()) return;
  const origin = new URL(script.src, location.href).origin;
  if (document.body) mount(origin, account, script);
  else document.addEventListener('DOMContentLoaded', () => mount(origin, account, script), { once: true });
}

start();
