import type {
  ChatFile,
  ChatMessage,
  ChatSettings,
  ConversationStatus,
  ErrorCode,
  PreChatField,
  ServerToVisitor,
} from '@parley/protocol';
import { LINK_REL, linkify } from '@parley/protocol/linkify';
import type { ConnectionState, NonKeyedFrame } from './chat-session.ts';
import { CHAT_CSS } from './chat-styles.ts';
import {
  ATTACH_ICON,
  accessibleName,
  append,
  type Child,
  CLOSE_ICON,
  h,
  icon,
  replace,
  SEND_ICON,
} from './dom.ts';
import type { WidgetHandover } from './handover.ts';
import { EMAIL, type HostEvent, type Identity } from './host-api.ts';
import { newIdempotencyKey } from './idempotency-key.ts';
import { LAUNCHER_LABELS, type Lang } from './language-choice.ts';
import type { KeyedFrame } from './outbox.ts';
import { MAX_MESSAGE_CHARS } from './protocol-constants.ts';
import { PRIVACY_PATH } from './routes.ts';
import { addStyles } from './shadow-style.ts';
import { describeDuration, fill, plural, type Strings } from './strings.ts';
import { darker } from './theme.ts';

// The chat panel, drawn in the launcher's shadow root. It renders what the session reports and turns the visitor's
// actions into frames. Everything a visitor or an agent wrote is put on the page as text, never as HTML.

/** What the UI asks of the session; `ChatSession` provides it. */
export interface SessionPort {
  readonly state: ConnectionState;
  start(): void;
  queue(frame: KeyedFrame): void;
  sendNow(frame: NonKeyedFrame): boolean;
  seen(id: string): void;
  optOut(text: string, language: Lang): Promise<void>;
}

export interface ChatUiOptions {
  handover: WidgetHandover;
  session: SessionPort;
  lang: Lang;
  strings: Strings;
  /** How long the opt-out cookie will live, as the policy declares it (ISO 8601), for the confirmation text. */
  optOutLifetime: string;
  /** SIG-1: the visitor sent a privacy signal; what the page knows about them then only fills in the forms. */
  privacySignal: boolean;
  /** Tells the host page what happened: the panel opened or closed, an agent wrote. */
  onEvent?: (event: HostEvent, detail?: unknown) => void;
}

export interface ChatUi {
  open(): void;
  close(): void;
  toggle(): void;
  /** The page knows who the visitor is (`Parley('identify')`). */
  identify(identity: Identity): void;
  onFrame(frame: ServerToVisitor): void;
  onState(state: ConnectionState): void;
}

type View = 'loading' | 'stopped' | 'prechat' | 'offline' | 'offline-sent' | 'chat' | 'confirm';

interface Pending {
  element: HTMLElement;
  frame: Extract<KeyedFrame, { type: 'send' }>;
}

const TYPING_IDLE_MS = 3_000;
/** An agent's typing indicator that is never switched off (a lost frame) fades after this long. */
const TYPING_SHOWN_MS = 8_000;
const NOTICE_MS = 8_000;
const SMALL_SCREEN = '(max-width: 480px)';
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
/** A message from an earlier day shows its date too, so a history read the next morning is not misread. */
const DAY_TIME: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', ...TIME };
const FULL_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };
/** What the file picker offers for each kind a website takes (the server checks the bytes whatever is picked). */
const FILE_TYPES = { image: 'image/*', pdf: '.pdf', text: '.txt,text/plain' } as const;
/** Errors where sending the same frame again cannot succeed, so no Retry is offered. */
const FINAL_ERRORS: readonly ErrorCode[] = ['invalid_frame', 'frame_too_large', 'forbidden', 'opted_out'];

export function mountChatUi({
  handover,
  session,
  lang,
  strings: t,
  optOutLifetime,
  privacySignal,
  onEvent,
}: ChatUiOptions): ChatUi {
  const { root, launcher } = handover;
  addStyles(root, CHAT_CSS);
  // The website's colour wins over the default in light and dark mode alike: it is the website's brand.
  if (handover.color) {
    const [background, text] = handover.color;
    // The header wears the colour too, with its text, status and buttons in the readable colour on it.
    addStyles(
      root,
      `:host{--pw-accent:${background};--pw-accent-hover:${darker(background, 0.88)};--pw-on-accent:${text}}
.head{background:var(--pw-accent);color:var(--pw-on-accent);border-bottom-color:transparent}
.head .status,.head .status.alert,.panel .head .end{color:inherit}
.head .status{opacity:.85}.head .status.alert{opacity:1;font-weight:600}
.panel .head .end{border-color:currentColor}
.panel .head .icon:hover,.panel .head .end:hover{background:rgba(127,127,127,.25)}
.panel .head :focus-visible{outline-color:currentColor}`,
    );
  }

  // ---- state ------------------------------------------------------------------------------------------------------
  let isOpen = false;
  let connection: ConnectionState = session.state;
  let welcomed = false;
  let agentsOnline = true;
  let preChatForm = false;
  /** The website's settings from the welcome; absent from an older server, which sends only `preChatForm`. */
  let settings: ChatSettings | undefined;
  let profileGiven = false;
  /** The page identified the visitor, and the profile waits for the connection. */
  let identityWaiting = false;
  let conversation: { status: ConversationStatus; agentName?: string | undefined } | null = null;
  /** The waiting chat's place in the queue, where the account routes its chats. */
  let queuePlace: number | undefined;
  let typingName: string | null = null;
  let visitorTyping = false;
  let unread = 0;
  let email = '';
  let knownName = '';
  let offlineKey: string | undefined;
  let offlineSentTo: string | undefined;
  /** A question the panel asks before doing something that cannot be taken back. */
  let confirming: 'opt-out' | 'end' | undefined;
  let optingOut = false;
  let transcriptPending = false;
  let formDirty = false;
  let view: View | undefined;
  let lastSpeaker = '';
  let ratingBlock: HTMLElement | undefined;
  let rated = false;
  const shownIds = new Set<string>();
  /** The socket's grant to upload files to the open conversation, and the uploads waiting for one. */
  let grant: { token: string; path: string; until: number } | undefined;
  const awaitingGrant: Array<(ok: boolean) => void> = [];
  /** Under the visitor's message an agent has seen last. */
  const seenMark = h('span', { class: 'seen' }, t.seen);
  const pending = new Map<string, Pending>();
  const timers: Record<'typing' | 'visitorTyping' | 'notice', ReturnType<typeof setTimeout> | undefined> = {
    typing: undefined,
    visitorTyping: undefined,
    notice: undefined,
  };

  // ---- elements ---------------------------------------------------------------------------------------------------
  const title = h('h2', { id: 'pw-title', class: 'title' }, t.title);
  const status = h('p', { class: 'status', role: 'status' });
  const endButton = h('button', { type: 'button', class: 'end', hidden: true }, t.endChat);
  const closeButton = h('button', { type: 'button', class: 'icon', 'aria-label': t.close }, icon(CLOSE_ICON));
  // Always in the page, empty when there is nothing to say: a live region that appears with its text is not read.
  const notice = h('p', { class: 'notice', role: 'status' });
  const log = h('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': t.messages,
    tabindex: '0',
  });
  // A proactive greeting the launcher showed is what the chat says first, as the visitor read it there.
  const greeting = h('p', { class: 'hint' }, handover.greeting ?? t.greeting);
  const input = h('textarea', {
    rows: '1',
    maxlength: String(MAX_MESSAGE_CHARS),
    placeholder: t.placeholder,
    'aria-label': t.inputLabel,
    enterkeyhint: 'send',
  });
  // Files: a button opens the device's picker (on a phone, the camera or the gallery); shown while a chat is open on
  // a website that takes files.
  const picker = h('input', { type: 'file', hidden: true });
  const attach = h(
    'button',
    { type: 'button', class: 'icon', 'aria-label': t.attach, hidden: true },
    icon(ATTACH_ICON),
  );
  const composer = h(
    'form',
    { class: 'composer' },
    attach,
    picker,
    input,
    h('button', { type: 'submit', class: 'send', 'aria-label': t.send }, icon(SEND_ICON)),
  );
  const chat = h('div', { class: 'chat' }, log, composer);
  const alt = h('div', { class: 'alt' });
  const transcriptBox = h('form', { class: 'transcript', novalidate: true });
  transcriptBox.hidden = true;
  const transcriptButton = h(
    'button',
    { type: 'button', 'aria-expanded': 'false', hidden: true },
    t.transcript,
  );
  const optOutButton = h('button', { type: 'button' }, t.optOut);
  // Plain divs, not header and footer: those would be banner and contentinfo landmarks that the host page's own
  // would then share, leaving screen reader users two of each on the customer's site.
  const footer = h(
    'div',
    { class: 'foot' },
    transcriptButton,
    optOutButton,
    h('a', { href: handover.origin + PRIVACY_PATH, target: '_blank', rel: 'noopener' }, t.privacy),
  );
  const panel = h(
    'div',
    { class: 'panel', id: 'pw-panel', role: 'dialog', 'aria-labelledby': 'pw-title', hidden: true },
    h('div', { class: 'head' }, h('div', { class: 'who' }, title, status), endButton, closeButton),
    chat,
    alt,
    // Above the transcript form and the footer, where the visitor just acted, not out of sight at the top.
    notice,
    transcriptBox,
    footer,
  );
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
  const closeIcon = icon(CLOSE_ICON);
  closeIcon.setAttribute('class', 'x');
  append(launcher, [closeIcon, badge]);
  launcher.setAttribute('aria-controls', 'pw-panel');
  // The launcher marked itself busy while chat.js loaded; it has loaded.
  launcher.removeAttribute('aria-busy');
  root.appendChild(panel);

  // ---- rendering --------------------------------------------------------------------------------------------------
  /** When a message was written: its time (and date, before today), with the full date and time on hover. */
  const stamp = (at: string): Node | string => {
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) return '';
    const format = (options: Intl.DateTimeFormatOptions): string => {
      try {
        return date.toLocaleString(document.documentElement.lang || lang, options);
      } catch {
        // The page's lang attribute is not a valid language tag.
        return date.toLocaleString(lang, options);
      }
    };
    const today = date.toDateString() === new Date().toDateString();
    return h('time', { datetime: at, title: format(FULL_TIME) }, format(today ? TIME : DAY_TIME));
  };

  /** A message's text with its links clickable, each opening in a new tab without access to this page. */
  const textWithLinks = (text: string): Child[] =>
    linkify(text).map((part) =>
      typeof part === 'string'
        ? part
        : h('a', { href: part.href, target: '_blank', rel: LINK_REL }, part.text),
    );

  function renderLauncher(): void {
    launcher.setAttribute('aria-expanded', String(isOpen));
    launcher.setAttribute(
      'aria-label',
      accessibleName(
        handover.label,
        isOpen ? t.close : unread > 0 ? plural(lang, t.openUnread, unread) : LAUNCHER_LABELS[lang],
      ),
    );
    badge.hidden = isOpen || unread === 0;
    badge.textContent = unread > 9 ? '9+' : String(unread);
  }

  function renderHeader(): void {
    const live = conversation !== null && conversation.status !== 'closed';
    title.textContent = conversation?.agentName ?? t.title;
    let text: string;
    if (connection === 'stopped') text = t.unavailable;
    else if (connection === 'reconnecting') text = t.reconnecting;
    else if (connection !== 'ready') text = t.connecting;
    else if (typingName !== null) text = fill(t.typing, { name: typingName });
    else if (conversation?.status === 'closed') text = t.ended;
    else if (conversation?.status === 'waiting' && queuePlace) text = fill(t.queuePlace, { n: queuePlace });
    else if (conversation?.status === 'waiting' && agentsOnline) text = t.waiting;
    else text = agentsOnline ? t.online : t.away;
    if (status.textContent !== text) status.textContent = text;
    status.classList.toggle('alert', connection === 'reconnecting' || connection === 'stopped');
    // Hidden while a question is open, so the panel offers one way on: the question's own buttons.
    endButton.hidden = !live || confirming !== undefined;
    transcriptButton.hidden = shownIds.size === 0 || settings?.transcripts === false;
    const kinds = settings?.files ?? [];
    attach.hidden = !live || kinds.length === 0;
    picker.accept = kinds.map((kind) => FILE_TYPES[kind]).join();
  }

  function decideView(): View {
    if (confirming) return 'confirm';
    if (connection === 'stopped') return 'stopped';
    if (!welcomed) return 'loading';
    if (offlineSentTo !== undefined) return 'offline-sent';
    // A half-filled form stays, even if an agent comes online or goes away meanwhile.
    if (formDirty && (view === 'offline' || view === 'prechat')) return view;
    if (conversation !== null || shownIds.size > 0 || pending.size > 0) return 'chat';
    if (!agentsOnline) return 'offline';
    if (!profileGiven && asked(preChatRules())) return 'prechat';
    return 'chat';
  }

  function render(): void {
    reportSeen();
    renderHeader();
    renderLauncher();
    const next = decideView();
    if (next === view) return;
    const focusWasInside = isOpen && (focusInPanel() || focusLost());
    view = next;
    formDirty = false;
    chat.hidden = next !== 'chat';
    alt.hidden = next === 'chat';
    footer.hidden = next === 'confirm';
    if (next !== 'chat') {
      replace(alt, ...altContent(next));
      hideTranscript();
    } else if (log.childElementCount === 0) {
      log.appendChild(greeting);
    }
    if (focusWasInside) focusView();
  }

  function altContent(which: Exclude<View, 'chat'>): Node[] {
    switch (which) {
      case 'loading':
        return [h('p', { class: 'hint' }, t.connecting)];
      case 'stopped':
        return [h('p', { class: 'hint' }, t.unavailable)];
      case 'prechat':
        return [preChatView()];
      case 'offline':
        return [offlineView()];
      case 'offline-sent':
        return [h('p', { class: 'hint' }, fill(t.offlineThanks, { email: offlineSentTo ?? '' }))];
      case 'confirm':
        return confirming === 'end' ? endView() : optOutView();
    }
  }

  /**
   * When the focused control disappears or is disabled, the browser drops focus to the page, where Escape and Tab
   * no longer reach the panel. Put it back, unless the visitor has moved on to the page themselves.
   */
  function rescueFocus(target: HTMLElement): void {
    if (isOpen && !focusInPanel() && focusLost()) target.focus();
  }

  const focusInPanel = (): boolean => root.activeElement !== null && panel.contains(root.activeElement);
  /** Focus is nowhere: not in the panel and not on anything of the page's own. */
  const focusLost = (): boolean => {
    const active = document.activeElement;
    return active === null || active === document.body || (active === handover.host && !focusInPanel());
  };

  function focusView(): void {
    if (!isOpen) return;
    const target =
      view === 'chat'
        ? input
        : (alt.querySelector<HTMLElement>('input, textarea, .secondary') ?? closeButton);
    target.focus();
  }

  const nearBottom = (): boolean => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  const scrollToEnd = (): void => {
    log.scrollTop = log.scrollHeight;
  };

  function messageElement(
    author: ChatMessage['author'],
    text: string,
    meta: Node | string,
    name?: string,
    file?: ChatFile,
  ): HTMLElement {
    const speaker = `${author}:${name ?? ''}`;
    const showName = author === 'agent' && name !== undefined && speaker !== lastSpeaker;
    lastSpeaker = speaker;
    greeting.remove();
    return h(
      'div',
      { class: `msg ${author}` },
      showName && h('span', { class: 'name' }, name),
      file ? fileView(file) : h('p', { class: 'text' }, ...textWithLinks(text)),
      h('span', { class: 'meta' }, meta),
    );
  }

  function addMessage(message: ChatMessage, fromHistory: boolean): void {
    if (shownIds.has(message.id)) return;
    shownIds.add(message.id);
    const follow = nearBottom() || message.author === 'visitor';
    const element = messageElement(
      message.author,
      message.text,
      stamp(message.at),
      message.authorName,
      message.file,
    );
    const order = `${message.at} ${message.id}`;
    element.dataset.order = order;
    // Kept in order by time, then id: a reconnect or catch-up may bring a message older than some already shown.
    let before: Element | null = null;
    for (let node = log.lastElementChild; node; node = node.previousElementSibling) {
      const other = (node as HTMLElement).dataset.order;
      if (other && other < order) break;
      if (other) before = node;
    }
    log.insertBefore(element, before);
    if (ratingBlock) log.appendChild(ratingBlock);
    if (message.author === 'agent') typingName = null;
    if (!fromHistory && message.author !== 'visitor' && !isOpen) unread += 1;
    // The page learns that an agent wrote, and when, but not what: the conversation stays in the widget.
    if (!fromHistory && message.author === 'agent')
      onEvent?.('message', { authorName: message.authorName, at: message.at });
    if (follow) scrollToEnd();
  }

  /** Puts "Seen" under the visitor's message an agent has seen last (a shown message's `data-order` ends in its id). */
  function showSeen(id: string): void {
    for (const mine of log.querySelectorAll<HTMLElement>('.msg.visitor'))
      if (mine.dataset.order?.endsWith(` ${id}`)) mine.querySelector('.meta')?.appendChild(seenMark);
  }

  /** While the visitor can see the chat, the server hears the newest agent message shown (the session coalesces). */
  function reportSeen(): void {
    const agents = log.querySelectorAll<HTMLElement>('.msg.agent');
    const id = agents[agents.length - 1]?.dataset.order?.split(' ')[1];
    if (id && isOpen && !document.hidden) session.seen(id);
  }

  function setMeta(element: HTMLElement, ...children: (Node | string)[]): void {
    const meta = element.querySelector('.meta');
    if (meta) replace(meta, ...children);
  }

  function showNotice(text: string): void {
    notice.textContent = text;
    clearTimeout(timers.notice);
    timers.notice = setTimeout(() => {
      notice.textContent = '';
    }, NOTICE_MS);
  }

  const errorText = (
    code: ErrorCode | 'payload_too_large' | 'unsupported_media_type' | 'quota_exceeded',
  ): string => {
    switch (code) {
      case 'payload_too_large':
        return t.fileTooBig;
      case 'unsupported_media_type':
        return t.fileRefused;
      case 'quota_exceeded':
        return t.fileNoRoom;
      case 'rate_limited':
        return t.errorRateLimited;
      case 'transcript_limit':
        return t.errorTranscriptLimit;
      case 'recipient_limit':
        return t.errorRecipientLimit;
      case 'frame_too_large':
        return t.errorTooLong;
      case 'invalid_frame':
        return t.errorInvalid;
      case 'conversation_closed':
        return t.errorEnded;
      case 'opted_out':
      case 'forbidden':
      // Too many new visitors at once: the chat is not available right now, and may be again in a moment.
      case 'busy':
        return t.unavailable;
      default:
        return t.errorGeneric;
    }
  };

  // ---- files ------------------------------------------------------------------------------------------------------
  /** A file message: an image's thumbnail, which opens the image in a tab; a document's name and size, which downloads it. */
  function fileView(file: ChatFile): HTMLElement {
    const href = handover.origin + file.url;
    if (file.thumbUrl)
      return h(
        'a',
        { class: 'text file', href, target: '_blank', rel: 'noopener' },
        h('img', {
          src: handover.origin + file.thumbUrl,
          alt: file.name,
          width: String(file.width ?? ''),
          height: String(file.height ?? ''),
        }),
      );
    const mb = file.size >= 1e6;
    const size = new Intl.NumberFormat(lang, {
      style: 'unit',
      unit: mb ? 'megabyte' : 'kilobyte',
      maximumFractionDigits: 1,
    }).format(file.size / (mb ? 1e6 : 1e3));
    // Served as a download: following the link leaves the page where it is.
    return h('a', { class: 'text file', href }, file.name, h('span', { class: 'size' }, size));
  }

  /** Runs `then` with a grant to upload, asking the socket for one when there is none or it runs out soon. */
  function withGrant(then: (ok: boolean) => void): void {
    if (grant && grant.until > Date.now() + 60_000) {
      then(true);
      return;
    }
    awaitingGrant.push(then);
    if (awaitingGrant.length === 1 && !session.sendNow({ type: 'upload_token' })) grantAnswered(false);
  }

  function grantAnswered(ok: boolean): void {
    for (const then of awaitingGrant.splice(0)) then(ok);
  }

  /**
   * Uploads a file the visitor chose, shown as theirs while it goes; the server's message takes its place. A refused
   * file says why, and a token that ran out is asked for again once.
   */
  function sendFile(file: File): void {
    const element = messageElement('visitor', file.name, t.sending);
    element.classList.add('pending');
    log.appendChild(element);
    scrollToEnd();
    const key = newIdempotencyKey();
    const failed = (code: string): void => {
      element.remove();
      showNotice(errorText(code as ErrorCode));
    };
    const upload = (retry: boolean) => (ok: boolean) => {
      if (!ok || !grant) return failed('not_ready');
      fetch(handover.origin + grant.path, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${grant.token}`,
          'x-parley-name': encodeURIComponent(file.name),
          'x-parley-key': key,
        },
        body: file,
      })
        .then(async (response) => {
          const body = await response.json();
          if (response.ok) {
            element.remove();
            addMessage(body.message, false);
            render();
          } else if (response.status === 401 && retry) {
            grant = undefined;
            withGrant(upload(false));
          } else failed(body.error.code);
        })
        .catch(() => failed(''));
    };
    withGrant(upload(true));
  }

  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    for (const file of picker.files ?? []) sendFile(file);
    picker.value = '';
  });

  // ---- sending ----------------------------------------------------------------------------------------------------
  function sendMessage(): void {
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    grow();
    stopTyping();
    const frame = { type: 'send', key: newIdempotencyKey(), text } as const;
    const element = messageElement('visitor', text, t.sending);
    element.classList.add('pending');
    pending.set(frame.key, { element, frame });
    log.appendChild(element);
    if (ratingBlock) dropRating();
    scrollToEnd();
    session.queue(frame);
    render();
  }

  function retry(key: string): void {
    const entry = pending.get(key);
    if (!entry) return;
    entry.element.classList.remove('failed');
    entry.element.classList.add('pending');
    setMeta(entry.element, t.sending);
    session.queue(entry.frame);
  }

  function markFailed(key: string, code: ErrorCode): void {
    const entry = pending.get(key);
    if (!entry) return;
    entry.element.classList.remove('pending');
    entry.element.classList.add('failed');
    const again = h('button', { type: 'button', class: 'retry' }, t.retry);
    again.addEventListener('click', () => {
      retry(key);
      rescueFocus(input);
    });
    setMeta(entry.element, t.notSent, !FINAL_ERRORS.includes(code) ? again : '');
  }

  function acknowledged(key: string, id: string, at: string): void {
    if (key === offlineKey) {
      offlineDone();
      return;
    }
    const entry = pending.get(key);
    if (!entry) return;
    pending.delete(key);
    // The same message may already have come back as a `message` frame: keep one copy.
    if (shownIds.has(id)) {
      entry.element.remove();
      return;
    }
    shownIds.add(id);
    entry.element.dataset.order = `${at} ${id}`;
    entry.element.classList.remove('pending', 'failed');
    setMeta(entry.element, stamp(at));
  }

  function grow(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  function stopTyping(): void {
    clearTimeout(timers.visitorTyping);
    if (visitorTyping) session.sendNow({ type: 'typing', typing: false });
    visitorTyping = false;
  }

  input.addEventListener('input', () => {
    grow();
    if (conversation === null || conversation.status === 'closed' || input.value.trim() === '') return;
    if (!visitorTyping) visitorTyping = session.sendNow({ type: 'typing', typing: true });
    clearTimeout(timers.visitorTyping);
    timers.visitorTyping = setTimeout(stopTyping, TYPING_IDLE_MS);
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    sendMessage();
  });
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendMessage();
    input.focus();
  });

  /** Which pre-chat fields the website asks for; without settings, today's form: name optional, email required. */
  const preChatRules = (): ChatSettings['preChat'] =>
    settings?.preChat ??
    (preChatForm ? { name: 'optional', email: 'required' } : { name: 'off', email: 'off' });
  const asked = (rules: ChatSettings['preChat']): boolean =>
    rules.name !== 'off' || rules.email !== 'off' || (settings?.departments?.length ?? 0) > 0;

  // ---- forms ------------------------------------------------------------------------------------------------------
  type Check = (value: string) => string | undefined;
  const required: Check = (value) => (value === '' ? t.required : undefined);
  const validEmail: Check = (value) =>
    value === '' ? t.required : EMAIL.test(value) && value.length <= 254 ? undefined : t.emailInvalid;
  const emailIfGiven: Check = (value) => (value === '' ? undefined : validEmail(value));

  interface Field {
    row: HTMLElement;
    control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    check?: Check;
    error: HTMLElement;
  }

  function field(
    id: string,
    label: string,
    control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
    check?: Check,
    mandatory = check !== undefined,
  ): Field {
    control.id = id;
    const error = h('span', { class: 'error', id: `${id}-error`, hidden: true });
    control.setAttribute('aria-describedby', error.id);
    const row = h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label, !mandatory && h('span', { class: 'opt' }, ` ${t.optional}`)),
      control,
      error,
    );
    return { row, control, error, ...(check ? { check } : {}) };
  }

  /** Shows each field's problem beside it and focuses the first; true when everything is fine. */
  function validate(fields: Field[]): boolean {
    let first: Field | undefined;
    for (const item of fields) {
      const problem = item.check?.(item.control.value.trim());
      item.error.textContent = problem ?? '';
      item.error.hidden = problem === undefined;
      if (problem === undefined) item.control.removeAttribute('aria-invalid');
      else item.control.setAttribute('aria-invalid', 'true');
      first ??= problem === undefined ? undefined : item;
    }
    first?.control.focus();
    return first === undefined;
  }

  const nameInput = () =>
    h('input', { type: 'text', autocomplete: 'name', maxlength: '80', value: knownName });
  const emailInput = () =>
    h('input', { type: 'email', autocomplete: 'email', maxlength: '254', inputmode: 'email', value: email });
  const optional = (value: string): string | undefined => (value === '' ? undefined : value);

  function form(intro: string, fields: Field[], submitLabel: string, onSubmit: () => void): HTMLFormElement {
    const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
    const element = h(
      'form',
      { novalidate: true, class: 'stack' },
      h('p', {}, intro),
      ...fields.map((item) => item.row),
      h('div', { class: 'actions' }, submit),
    );
    element.addEventListener('input', () => {
      formDirty = true;
    });
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      if (validate(fields)) onSubmit();
    });
    return element;
  }

  /** The name field as the website asks for it, or undefined when it asks for no name. */
  function nameField(id: string, rule: PreChatField): Field | undefined {
    if (rule === 'off') return undefined;
    return field(id, t.name, nameInput(), rule === 'required' ? required : undefined);
  }

  function preChatView(): HTMLElement {
    const rules = preChatRules();
    const name = nameField('pw-pre-name', rules.name);
    const address =
      rules.email === 'off'
        ? undefined
        : rules.email === 'required'
          ? field('pw-pre-email', t.email, emailInput(), validEmail)
          : field('pw-pre-email', t.email, emailInput(), emailIfGiven, false);
    const offered = settings?.departments ?? [];
    // The departments the website offers, the first chosen: a visitor who does not mind goes there.
    const department = offered.length
      ? field(
          'pw-pre-department',
          t.department,
          h('select', {}, ...offered.map(({ id, name }) => h('option', { value: id }, name))),
        )
      : undefined;
    const fields = [name, address, department].filter((item): item is Field => item !== undefined);
    return form(t.preChatIntro, fields, t.startChat, () => {
      const given = {
        name: name?.control.value.trim() ?? '',
        email: address?.control.value.trim() ?? '',
        department: department?.control.value ?? '',
      };
      if (!sendProfile(given)) return showNotice(t.errorOffline);
      formDirty = false;
      render();
    });
  }

  /**
   * What the page knows about the visitor fills in the forms, and is sent as their profile once they have opened
   * the chat and it is connected (CK-7) — unless they sent a privacy signal (SIG-1), when they give it themselves.
   * The pre-chat form is skipped when the page gave everything it requires.
   */
  function identify(identity: Identity): void {
    if (identity.name) knownName = identity.name;
    if (identity.email) email = identity.email;
    if (!privacySignal) identityWaiting = true;
    sendIdentity();
    render();
  }

  function sendIdentity(): void {
    if (!identityWaiting || !welcomed || connection !== 'ready') return;
    const rules = preChatRules();
    const given = { name: knownName, email };
    if (!sendProfile(given)) return;
    identityWaiting = false;
    profileGiven =
      (rules.name !== 'required' || given.name !== '') && (rules.email !== 'required' || given.email !== '');
  }

  /** Sends what the visitor (or the page, for them) gave as their name and email; false when not connected. */
  function sendProfile(given: { name: string; email: string; department?: string }): boolean {
    const frame: Extract<NonKeyedFrame, { type: 'profile' }> = { type: 'profile' };
    if (given.name) frame.name = given.name;
    if (given.email) frame.email = given.email;
    if (given.department) frame.department = given.department;
    if ((frame.name || frame.email || frame.department) && !session.sendNow(frame)) return false;
    if (given.email) email = given.email;
    if (given.name) knownName = given.name;
    profileGiven = true;
    return true;
  }

  function offlineView(): HTMLElement {
    const name = nameField('pw-off-name', preChatRules().name);
    const address = field('pw-off-email', t.email, emailInput(), validEmail);
    const text = field(
      'pw-off-text',
      t.message,
      h('textarea', { rows: '4', maxlength: String(MAX_MESSAGE_CHARS) }),
      required,
    );
    const fields = [name, address, text].filter((item): item is Field => item !== undefined);
    const element = form(t.offlineIntro, fields, t.offlineSend, () => {
      const submit = element.querySelector<HTMLButtonElement>('.primary');
      if (submit) {
        submit.disabled = true;
        submit.textContent = t.sending;
      }
      email = address.control.value.trim();
      offlineKey = newIdempotencyKey();
      const frame: Extract<KeyedFrame, { type: 'offline_message' }> = {
        type: 'offline_message',
        key: offlineKey,
        email,
        text: text.control.value.trim(),
      };
      const visitorName = optional(name?.control.value.trim() ?? '');
      if (visitorName !== undefined) frame.name = visitorName;
      // Keyed, so it survives a dropped connection like a chat message does.
      session.queue(frame);
    });
    return element;
  }

  function offlineDone(): void {
    if (offlineKey === undefined) return;
    offlineKey = undefined;
    offlineSentTo = email;
    render();
  }

  function offlineFailed(code: ErrorCode): void {
    offlineKey = undefined;
    const submit = alt.querySelector<HTMLButtonElement>('.primary');
    if (submit) {
      submit.disabled = false;
      submit.textContent = t.offlineSend;
    }
    showNotice(errorText(code));
  }

  // ---- transcript -------------------------------------------------------------------------------------------------
  function showTranscript(): void {
    const address = field('pw-tr-email', t.email, emailInput(), validEmail);
    const cancel = h('button', { type: 'button', class: 'secondary' }, t.cancel);
    cancel.addEventListener('click', () => {
      hideTranscript();
      transcriptButton.focus();
    });
    replace(
      transcriptBox,
      address.row,
      h('button', { type: 'submit', class: 'primary' }, t.transcriptSend),
      cancel,
    );
    transcriptBox.onsubmit = (event) => {
      event.preventDefault();
      if (!validate([address])) return;
      email = address.control.value.trim();
      if (!session.sendNow({ type: 'transcript', email })) return showNotice(t.errorOffline);
      transcriptPending = true;
      for (const button of transcriptBox.querySelectorAll('button')) button.disabled = true;
    };
    transcriptBox.hidden = false;
    transcriptButton.setAttribute('aria-expanded', 'true');
    address.control.focus();
  }

  function hideTranscript(): void {
    transcriptBox.hidden = true;
    transcriptPending = false;
    transcriptButton.setAttribute('aria-expanded', 'false');
  }

  transcriptButton.addEventListener('click', () =>
    transcriptBox.hidden ? showTranscript() : hideTranscript(),
  );

  // ---- rating -----------------------------------------------------------------------------------------------------
  function showRating(): void {
    if (ratingBlock || settings?.ratings === false) return;
    rated = false;
    const stars = [1, 2, 3, 4, 5].map((rating) => {
      const star = h(
        'button',
        { type: 'button', class: 'star', 'aria-label': fill(t.rateLabel, { n: rating }) },
        '★',
      );
      star.addEventListener('click', () => {
        if (!session.sendNow({ type: 'rate', rating })) return showNotice(t.errorOffline);
        rated = true;
        replace(block, h('p', {}, t.rateThanks));
        rescueFocus(input);
      });
      return star;
    });
    const block = h(
      'div',
      { class: 'rate', role: 'group', 'aria-labelledby': 'pw-rate-q' },
      h('p', { id: 'pw-rate-q' }, t.rateQuestion),
      h('div', { class: 'stars' }, ...stars),
    );
    ratingBlock = block;
    const follow = nearBottom();
    log.appendChild(block);
    if (follow) scrollToEnd();
  }

  /** A new conversation began: an unanswered rating question would rate the wrong one. */
  function dropRating(): void {
    if (!rated) ratingBlock?.remove();
    ratingBlock = undefined;
  }

  // ---- turning chat off (CK-4) ------------------------------------------------------------------------------------
  function optOutView(): Node[] {
    const body = fill(t.optOutBody, { duration: describeDuration(optOutLifetime, t, lang) });
    const confirm = h('button', { type: 'button', class: 'danger' }, t.optOutConfirm);
    const cancel = h('button', { type: 'button', class: 'secondary' }, t.cancel);
    cancel.addEventListener('click', cancelConfirm);
    confirm.addEventListener('click', () => {
      if (optingOut) return;
      optingOut = true;
      confirm.disabled = true;
      cancel.disabled = true;
      // The server stores exactly the words the visitor saw and confirmed.
      void session.optOut(`${t.optOutTitle}\n${body}`, lang).then(removeWidget);
    });
    return [
      h('h3', { id: 'pw-opt-out-title' }, t.optOutTitle),
      h('p', {}, body),
      h('div', { class: 'actions' }, confirm, cancel),
    ];
  }

  function cancelConfirm(): void {
    const from = confirming === 'end' ? endButton : optOutButton;
    confirming = undefined;
    render();
    from.focus();
  }

  optOutButton.addEventListener('click', () => {
    confirming = 'opt-out';
    render();
  });

  // ---- ending the chat --------------------------------------------------------------------------------------------
  function endView(): Node[] {
    const confirm = h('button', { type: 'button', class: 'primary' }, t.endChat);
    const cancel = h('button', { type: 'button', class: 'secondary' }, t.cancel);
    cancel.addEventListener('click', cancelConfirm);
    confirm.addEventListener('click', () => {
      if (!session.sendNow({ type: 'end' })) showNotice(t.errorOffline);
      confirming = undefined;
      render();
    });
    return [h('h3', {}, t.endTitle), h('p', {}, t.endBody), h('div', { class: 'actions' }, confirm, cancel)];
  }

  endButton.addEventListener('click', () => {
    confirming = 'end';
    render();
  });

  function removeWidget(): void {
    for (const timer of Object.values(timers)) clearTimeout(timer);
    panel.remove();
    launcher.remove();
    // A live region must exist before its text changes to be announced, so the text comes a moment later.
    const toast = h('p', { class: 'toast', role: 'status' });
    root.appendChild(toast);
    setTimeout(() => {
      toast.textContent = t.optOutDone;
    }, 100);
    setTimeout(() => handover.host.remove(), 6_000);
  }

  // ---- open, close, keyboard --------------------------------------------------------------------------------------
  function open(): void {
    if (isOpen) return;
    isOpen = true;
    unread = 0;
    panel.hidden = false;
    // Full screen on a phone: the page behind is out of reach, so the panel is modal there.
    const small = typeof matchMedia === 'function' && matchMedia(SMALL_SCREEN).matches;
    panel.setAttribute('aria-modal', String(small));
    session.start();
    render();
    focusView();
    scrollToEnd();
    onEvent?.('open');
  }

  function close(): void {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    stopTyping();
    render();
    launcher.focus();
    onEvent?.('close');
  }

  const toggle = (): void => (isOpen ? close() : open());

  const focusable = (): HTMLElement[] =>
    [
      ...panel.querySelectorAll<HTMLElement>(
        'button:not([disabled]), a[href], input:not([disabled]), textarea:not([disabled]), [tabindex="0"]',
      ),
    ].filter((element) => element.getClientRects().length > 0);

  root.addEventListener('keydown', (event) => {
    if (!(event instanceof KeyboardEvent) || !isOpen) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (!transcriptBox.hidden) {
        hideTranscript();
        transcriptButton.focus();
      } else if (confirming && !optingOut) cancelConfirm();
      else close();
      return;
    }
    if (event.key !== 'Tab' || panel.getAttribute('aria-modal') !== 'true') return;
    const items = focusable();
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && root.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && root.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  closeButton.addEventListener('click', close);
  document.addEventListener('visibilitychange', reportSeen);

  // ---- what the session reports -----------------------------------------------------------------------------------
  function onFrame(frame: ServerToVisitor): void {
    switch (frame.type) {
      case 'welcome':
        welcomed = true;
        agentsOnline = frame.agentsOnline;
        preChatForm = frame.preChatForm;
        settings = frame.settings;
        greeting.textContent = handover.greeting ?? settings?.greeting ?? t.greeting;
        sendIdentity();
        conversation = frame.conversation && {
          status: frame.conversation.status,
          agentName: frame.conversation.agentName,
        };
        for (const message of frame.messages) addMessage(message, true);
        if (frame.conversation?.seen) showSeen(frame.conversation.seen.id);
        // The server keeps a recently ended chat on screen, so the visitor can still rate it, unless they did.
        if (conversation?.status === 'closed' && !frame.conversation?.rated) showRating();
        break;
      case 'message':
        addMessage(frame.message, false);
        break;
      case 'ack':
        acknowledged(frame.key, frame.id, frame.at);
        break;
      case 'typing':
        clearTimeout(timers.typing);
        typingName = frame.typing ? frame.name || t.someone : null;
        if (frame.typing)
          timers.typing = setTimeout(() => {
            typingName = null;
            render();
          }, TYPING_SHOWN_MS);
        break;
      case 'seen':
        showSeen(frame.id);
        break;
      case 'presence':
        agentsOnline = frame.agentsOnline;
        break;
      case 'queue':
        queuePlace = frame.position;
        break;
      case 'conversation': {
        const was = conversation?.status;
        const before = conversation?.agentName;
        queuePlace = undefined;
        // Taken by an agent, or handed to another: the visitor sees who joined.
        if (frame.status === 'active' && frame.agentName && frame.agentName !== before)
          log.appendChild(messageElement('system', fill(t.joined, { name: frame.agentName }), ''));
        conversation = {
          status: frame.status,
          agentName: frame.agentName ?? (frame.status === 'waiting' ? undefined : conversation?.agentName),
        };
        if (frame.status === 'closed' && was !== 'closed') {
          typingName = null;
          // A grant to upload is for the conversation that just ended; the next one needs its own.
          grant = undefined;
          // Ended from the other side, or in another tab, while the visitor was asked whether to end it.
          if (confirming === 'end') confirming = undefined;
          if (frame.closedBy) {
            const who =
              frame.closedBy.by === 'visitor' ? t.endedByYou : fill(t.endedBy, { name: frame.closedBy.name });
            log.appendChild(messageElement('system', who, ''));
          }
          showRating();
        } else if (frame.status !== 'closed' && was === 'closed') dropRating();
        break;
      }
      case 'upload_token':
        grant = { token: frame.token, path: frame.path, until: Date.parse(frame.expiresAt) };
        grantAnswered(true);
        break;
      case 'done':
        if (frame.what === 'transcript' && transcriptPending) {
          hideTranscript();
          showNotice(t.transcriptDone);
          rescueFocus(transcriptButton);
        } else if (frame.what === 'offline_message') offlineDone();
        break;
      case 'error':
        // The only frame that can fail without a key while uploads wait is their request for a grant.
        if (frame.key === undefined && awaitingGrant.length > 0) grantAnswered(false);
        if (frame.key !== undefined && frame.key === offlineKey) offlineFailed(frame.code);
        else {
          if (frame.key !== undefined) markFailed(frame.key, frame.code);
          if (transcriptPending) {
            transcriptPending = false;
            for (const button of transcriptBox.querySelectorAll('button')) button.disabled = false;
          }
          showNotice(errorText(frame.code));
        }
        break;
      case 'pong':
        return;
    }
    render();
  }

  function onState(state: ConnectionState): void {
    if (optingOut) return;
    connection = state;
    render();
  }

  render();
  return { open, close, toggle, identify, onFrame, onState };
}
