import type { ChatFile, ChatMessage, ClosedBy, ConversationSummary, InternalNote } from '@parley/protocol';
import { LINK_REL, linkify } from '@parley/protocol/linkify';
import { type ApiClient, messageOf } from '../api-client.ts';
import type { Agent, Departments } from '../api-types.ts';
import { type Child, checkbox, feedback, field, fill, h, uid, type View } from '../dom.ts';
import { countryName, formatDate, formatFull, formatLocalTime, formatWhen, languageName } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import { newIdempotencyKey } from '../idempotency-key.ts';
import type { LiveInbox, LiveState, TransferTarget } from '../live-inbox.ts';
import { NOT_DELIVERED, type PendingMessage } from '../outbox.ts';
import { hrefFor } from '../router.ts';
import { createTypingSignal } from '../typing-signal.ts';
import { cannedReplyPicker } from './canned-reply-picker.ts';
import { visitorLabel } from './conversation-list-view.ts';
import { conversationTags } from './conversation-tags.ts';
import { confirmDialog } from './dialog.ts';
import { emojiPalette } from './emoji-palette.ts';

/** The protocol's `LIMITS.maxMessageChars`; the protocol module also carries zod, which stays out of the bundle. */
const MAX_MESSAGE_CHARS = 4000;

export interface ConversationViewOptions {
  api: ApiClient;
  live: LiveInbox;
  me: Agent;
  conversationId: string;
  /** Says something to screen reader users. */
  announce(text: string): void;
}

const STATUS_LABEL = {
  waiting: 'list.waiting',
  active: 'list.active',
  closed: 'conversation.closed',
} as const;

export function authorLabel(message: ChatMessage, me: Agent): string {
  if (message.author === 'visitor') return t('list.visitor');
  if (message.author === 'system') return 'Parley';
  return message.authorName && message.authorName !== me.name ? message.authorName : t('conversation.you');
}

/** A message's text with its links clickable; text stays text, and each link opens apart from the dashboard. */
export function messageText(text: string): HTMLParagraphElement {
  return h(
    'p',
    { class: 'message-text' },
    linkify(text).map((part) =>
      typeof part === 'string'
        ? part
        : h('a', { href: part.href, target: '_blank', rel: LINK_REL }, part.text),
    ),
  );
}

/** A file's size as the dashboard's language writes it: `820 kB`, `2.4 MB`. */
export function fileSize(bytes: number): string {
  const mb = bytes >= 1e6;
  return new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: 'unit',
    unit: mb ? 'megabyte' : 'kilobyte',
    maximumFractionDigits: 1,
  }).format(bytes / (mb ? 1e6 : 1e3));
}

/**
 * A file message's file: an image's thumbnail, which opens the image in a new tab, or a document's name and size,
 * which downloads it. The links are the short-lived ones the server gave with the message.
 */
export function fileView(file: ChatFile): HTMLElement {
  if (file.thumbUrl)
    return h(
      'a',
      { class: 'message-file message-image', href: file.url, target: '_blank', rel: 'noopener' },
      h('img', {
        src: file.thumbUrl,
        alt: file.name,
        ...(file.width ? { width: file.width } : {}),
        ...(file.height ? { height: file.height } : {}),
      }),
    );
  return h(
    'a',
    { class: 'message-file', href: file.url, download: file.name, rel: 'noopener' },
    file.name,
    ' ',
    h('span', { class: 'file-size' }, fileSize(file.size)),
  );
}

/**
 * One message as a list item: who wrote it, when, and the text (always as text, never as HTML) or the file;
 * `seenAt` when it is the agents' message the visitor saw last.
 */
export function messageItem(message: ChatMessage, me: Agent, seenAt?: string): HTMLLIElement {
  return h(
    'li',
    { class: `message message-${message.author}` },
    h(
      'p',
      { class: 'message-meta' },
      h('span', { class: 'message-author' }, authorLabel(message, me)),
      ' ',
      h('time', { datetime: message.at, title: formatFull(message.at) }, formatWhen(message.at)),
    ),
    message.file ? fileView(message.file) : messageText(message.text),
    seenAt
      ? h(
          'p',
          { class: 'message-seen' },
          h(
            'time',
            { datetime: seenAt, title: formatFull(seenAt) },
            t('conversation.seenAt', { time: formatWhen(seenAt) }),
          ),
        )
      : null,
  );
}

/** The newest visitor message of a history, which the agent has seen while the conversation is open and visible. */
function lastVisitorMessage(history: readonly ChatMessage[] | undefined): ChatMessage | undefined {
  return history?.findLast((message) => message.author === 'visitor');
}

/** An internal note: set apart from the chat, labelled as agents-only, with its author and time. */
export function noteItem(note: InternalNote, me: Agent): HTMLLIElement {
  const author = !note.authorName
    ? t('notes.formerAgent')
    : note.authorName !== me.name
      ? note.authorName
      : t('conversation.you');
  return h(
    'li',
    { class: 'message message-note' },
    h(
      'p',
      { class: 'message-meta' },
      h('strong', { class: 'note-label' }, t('notes.label')),
      ' · ',
      h('span', { class: 'message-author' }, author),
      ' ',
      h('time', { datetime: note.at, title: formatFull(note.at) }, formatWhen(note.at)),
    ),
    h('p', { class: 'message-text' }, note.text),
  );
}

/** The thread as the agent reads it: the visitor's chat and the agents' notes, by time. */
function threadOf(
  messages: readonly ChatMessage[],
  notes: readonly InternalNote[],
): Array<{ kind: 'message'; item: ChatMessage } | { kind: 'note'; item: InternalNote }> {
  const thread = [
    ...messages.map((item) => ({ kind: 'message' as const, item })),
    ...notes.map((item) => ({ kind: 'note' as const, item })),
  ];
  // Stable: a note written in the same millisecond as a message stays after it.
  return thread.sort((a, b) => Date.parse(a.item.at) - Date.parse(b.item.at));
}

/** A `<select>` of the departments and the other agents a chat can be handed to; values say which kind. */
function transferTargets(departments: Departments, me: Agent): HTMLSelectElement {
  const others = departments.agents.filter((agent) => agent.id !== me.id);
  return h(
    'select',
    { name: 'transfer-to', required: true },
    h('option', { value: '' }, t('transfer.choose')),
    departments.departments.length > 0
      ? h(
          'optgroup',
          { label: t('transfer.departments') },
          departments.departments.map((department) =>
            h('option', { value: `department:${department.id}` }, department.name),
          ),
        )
      : null,
    others.length > 0
      ? h(
          'optgroup',
          { label: t('transfer.agents') },
          others.map((agent) => h('option', { value: `agent:${agent.id}` }, agent.name)),
        )
      : null,
  );
}

/** The target a transfer dialog's choice names, or null for none. */
export function targetOf(value: string): TransferTarget | null {
  const [kind, id] = value.split(':', 2);
  if (!id) return null;
  if (kind === 'department') return { departmentId: id };
  if (kind === 'agent') return { agentId: id };
  return null;
}

function pendingItem(item: PendingMessage, live: LiveInbox): HTMLLIElement {
  const failed = item.status === 'failed';
  return h(
    'li',
    { class: failed ? 'message message-agent message-failed' : 'message message-agent message-pending' },
    h(
      'p',
      { class: 'message-meta' },
      h('span', { class: 'message-author' }, t('conversation.you')),
      ' ',
      h(
        'span',
        { class: 'message-state' },
        failed
          ? t('conversation.notSent')
          : item.status === 'queued'
            ? t('conversation.queued')
            : t('conversation.sending'),
      ),
    ),
    messageText(item.text),
    failed
      ? h(
          'p',
          { class: 'message-error' },
          h(
            'span',
            null,
            item.error === NOT_DELIVERED
              ? t('conversation.droppedTwice')
              : (item.error ?? t('conversation.notDelivered')),
          ),
          ' ',
          h(
            'button',
            { type: 'button', class: 'link-button', on: { click: () => live.retry(item.key) } },
            t('conversation.tryAgain'),
          ),
          ' ',
          h(
            'button',
            { type: 'button', class: 'link-button', on: { click: () => live.discard(item.key) } },
            t('conversation.discard'),
          ),
        )
      : null,
  );
}

/** How the agent is told a conversation ended, and by whom when the server said so. */
export function closedText(closedBy: ClosedBy | undefined, me: Agent): string {
  if (!closedBy) return t('conversation.isClosed');
  if (closedBy.by === 'visitor') return t('conversation.visitorEnded');
  return closedBy.name === me.name
    ? t('conversation.youEnded')
    : t('conversation.agentEnded', { name: closedBy.name });
}

function detail(term: string, value: Child): HTMLDivElement {
  return h('div', null, h('dt', null, term), h('dd', null, value));
}

/** The visitor's local time, on a website that shows it: "14:05 (Europe/Berlin)". */
function localTime(timeZone: string): HTMLDivElement | null {
  const time = formatLocalTime(timeZone);
  return time
    ? detail(
        t('conversation.context.localTime'),
        t('conversation.context.localTimeValue', { time, zone: timeZone }),
      )
    : null;
}

/** "Firefox on Android", or the one of the two that is known. */
function browserAndSystem({ browser, system }: ConversationSummary['visitor']): HTMLDivElement | null {
  const value =
    browser && system ? t('conversation.context.browserOn', { browser, system }) : (browser ?? system);
  return value ? detail(t('conversation.context.browser'), value) : null;
}

/** The pages opened during the chat, oldest first, each with the time it was opened. */
function pageTrail(pages: NonNullable<ConversationSummary['visitor']['pages']>): HTMLDivElement {
  return detail(
    t('conversation.context.pages'),
    h(
      'ol',
      { class: 'page-trail' },
      pages.map((page) =>
        h(
          'li',
          null,
          h('time', { datetime: page.at, title: formatFull(page.at) }, formatWhen(page.at)),
          ' ',
          h('span', { class: 'break' }, page.path),
        ),
      ),
    ),
  );
}

/** The visitor's earlier conversations with the business, newest first, each a link into the history. */
function earlierConversations(
  earlier: NonNullable<ConversationSummary['visitor']['earlier']>,
): HTMLDivElement {
  return detail(
    t('conversation.context.earlier'),
    h(
      'ul',
      { class: 'earlier-conversations' },
      earlier.map((conversation) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: hrefFor({ name: 'history', conversationId: conversation.id }) },
            h('time', { datetime: conversation.startedAt }, formatDate(conversation.startedAt)),
          ),
        ),
      ),
    ),
  );
}

/**
 * The visitor's details as the server gives them, with the context the website turned on (pages, local time,
 * country, browser and system, earlier conversations). Never an IP address: the server keeps only a country.
 */
function visitorDetails(summary: ConversationSummary): HTMLElement {
  const { visitor } = summary;
  return h(
    'dl',
    { class: 'visitor-details' },
    visitor.name ? detail(t('conversation.name'), visitor.name) : null,
    visitor.email ? detail(t('conversation.email'), visitor.email) : null,
    summary.website ? detail(t('conversation.website'), summary.website) : null,
    summary.department ? detail(t('departments.department'), summary.department.name) : null,
    visitor.page ? detail(t('conversation.page'), h('span', { class: 'break' }, visitor.page)) : null,
    visitor.country ? detail(t('conversation.country'), countryName(visitor.country)) : null,
    visitor.locale ? detail(t('conversation.language'), languageName(visitor.locale)) : null,
    visitor.timeZone ? localTime(visitor.timeZone) : null,
    browserAndSystem(visitor),
    visitor.pages?.length ? pageTrail(visitor.pages) : null,
    visitor.earlier?.length ? earlierConversations(visitor.earlier) : null,
    detail(
      t('conversation.started'),
      h('time', { datetime: summary.startedAt }, formatFull(summary.startedAt)),
    ),
    summary.agentName ? detail(t('list.agent'), summary.agentName) : null,
  );
}

/** Right pane: one conversation with its visitor, history, reply box and actions. */
export interface ConversationView extends View {
  /** Asks to close the conversation, as its Close button does; nothing if it is closed already. */
  askToClose(): void;
}

export function conversationView(options: ConversationViewOptions): ConversationView {
  const { api, live, me, conversationId } = options;
  const heading = h(
    'h2',
    { class: 'conversation-title', id: uid('conversation-title'), tabindex: '-1' },
    t('conversation.conversation'),
  );
  const statusBadge = h('span', { class: 'status-badge' });
  const closeButton = h('button', { type: 'button', class: 'button' }, t('conversation.close'));
  const transferButton = h('button', { type: 'button', class: 'button' }, t('transfer.transfer'));
  const flagButton = h(
    'button',
    { type: 'button', class: 'button button-danger-quiet' },
    t('conversation.flag'),
  );
  const blockButton = h(
    'button',
    { type: 'button', class: 'button button-danger-quiet' },
    t('unwanted.block'),
  );
  const spamButton = h('button', { type: 'button', class: 'button button-danger-quiet' }, t('spam.report'));
  const actionStatus = feedback();
  const details = h('div', { class: 'visitor-details-body' });
  // On a phone the details fold away behind a summary so the messages keep the screen; on a wide screen they show.
  const wide = window.matchMedia('(min-width: 48em)');
  const detailsPanel = h(
    'details',
    { class: 'visitor-panel', open: wide.matches },
    h('summary', null, t('conversation.visitorDetails')),
    details,
  );
  const onWidthChange = () => {
    if (wide.matches) detailsPanel.open = true;
  };
  wide.addEventListener('change', onWidthChange);
  const missing = h('p', { class: 'empty-state', hidden: true });
  const messages = h('ol', { class: 'messages', 'aria-label': t('conversation.messages') });
  const scroller = h(
    'div',
    { class: 'message-scroller', tabindex: '0', 'aria-label': t('conversation.history') },
    messages,
  );
  // Not a live region: visitors type in bursts, and a screen reader repeating "typing" would drown the messages,
  // which the shell announces.
  const typingLine = h('p', { class: 'typing-line' });
  const reply = h('textarea', {
    name: 'reply',
    rows: 3,
    maxlength: MAX_MESSAGE_CHARS,
    'aria-describedby': `reply-hint-${conversationId}`,
    placeholder: t('conversation.replyPlaceholder'),
  });
  const replyHint = h(
    'p',
    { class: 'hint', id: `reply-hint-${conversationId}` },
    t('conversation.replyHint'),
  );
  const sendButton = h('button', { type: 'submit', class: 'button button-primary' }, t('conversation.send'));
  // A note goes to the account's agents only: the toggle changes what the box sends and how it looks.
  const noteToggle = h('input', { type: 'checkbox', name: 'note' });
  const noteSwitch = h('label', { class: 'note-toggle' }, noteToggle, ' ', t('notes.toggle'));
  const replyStatus = feedback();
  // Files: chosen with the button, or pasted into the reply box (a screenshot); each goes as a message of its own.
  const fileInput = h('input', { type: 'file', class: 'sr-only', tabindex: -1, 'aria-hidden': 'true' });
  const attachButton = h(
    'button',
    {
      type: 'button',
      class: 'button attach-button',
      'aria-label': t('conversation.attach'),
      title: t('conversation.attach'),
    },
    '📎',
  );
  const picker = cannedReplyPicker(api, reply, () => ({
    visitor: live.state.inbox.conversations.get(conversationId)?.summary.visitor.name,
    agent: me.name,
  }));
  const composer = h(
    'form',
    { class: 'composer' },
    h('label', { for: `reply-${conversationId}`, class: 'sr-only' }, t('conversation.reply')),
    picker.element,
    reply,
    h(
      'div',
      { class: 'composer-bar' },
      emojiPalette(reply, `emoji-${conversationId}`),
      attachButton,
      fileInput,
      replyHint,
      noteSwitch,
      sendButton,
    ),
    replyStatus.element,
  );
  reply.id = `reply-${conversationId}`;
  const closedNote = h('p', { class: 'closed-note', hidden: true });
  const tagEditor = conversationTags(api, conversationId);

  const element = h(
    'article',
    { class: 'conversation', 'aria-labelledby': heading.id },
    h(
      'header',
      { class: 'conversation-header' },
      h(
        'a',
        { class: 'back-link', href: hrefFor({ name: 'inbox', conversationId: null }) },
        t('conversation.back'),
      ),
      h('div', { class: 'conversation-heading' }, heading, statusBadge),
      h(
        'div',
        { class: 'conversation-actions' },
        transferButton,
        closeButton,
        spamButton,
        blockButton,
        flagButton,
      ),
    ),
    actionStatus.element,
    missing,
    detailsPanel,
    tagEditor.element,
    scroller,
    typingLine,
    closedNote,
    composer,
  );

  const typing = createTypingSignal((value) => live.typing(conversationId, value));
  const rendered = new Map<string, { signature: string; node: HTMLLIElement }>();
  let summaryShown: ConversationSummary | undefined;
  let firstHistory = true;

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;

  const renderMessages = (state: LiveState) => {
    const history = state.inbox.messages.get(conversationId);
    const seen = state.inbox.conversations.get(conversationId)?.summary.seenByVisitor;
    const pending = state.outbox.filter((item) => item.conversationId === conversationId);
    const wanted: HTMLLIElement[] = [];
    const keep = new Set<string>();
    const put = (key: string, signature: string, make: () => HTMLLIElement) => {
      keep.add(key);
      const known = rendered.get(key);
      if (known && known.signature === signature) {
        wanted.push(known.node);
        return;
      }
      const node = make();
      rendered.set(key, { signature, node });
      wanted.push(node);
    };
    const notes = state.inbox.notes.get(conversationId) ?? [];
    for (const entry of threadOf(history ?? [], notes)) {
      if (entry.kind === 'note') {
        put(`n:${entry.item.id}`, entry.item.text, () => noteItem(entry.item, me));
        continue;
      }
      const message = entry.item;
      const seenAt = seen?.id === message.id ? seen.at : undefined;
      put(`m:${message.id}`, `${seenAt ?? ''}:${message.text}:${message.file?.url ?? ''}`, () =>
        messageItem(message, me, seenAt),
      );
    }
    for (const item of pending)
      put(`p:${item.key}`, `${item.status}:${item.error ?? ''}`, () => pendingItem(item, live));
    for (const key of rendered.keys()) if (!keep.has(key)) rendered.delete(key);

    const current = [...messages.children];
    const same = current.length === wanted.length && current.every((node, index) => node === wanted[index]);
    if (same && history) return;
    const stick = nearBottom() || firstHistory;
    if (!history && pending.length === 0) {
      fill(
        messages,
        h(
          'li',
          { class: 'message-placeholder' },
          state.ready ? t('conversation.loadingMessages') : t('conversation.waitingForConnection'),
        ),
      );
      return;
    }
    messages.replaceChildren(...wanted);
    if (history && wanted.length === 0)
      messages.append(h('li', { class: 'message-placeholder' }, t('conversation.noMessages')));
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    if (history) firstHistory = false;
  };

  const render = (state: LiveState, previous?: LiveState) => {
    const entry = state.inbox.conversations.get(conversationId);
    if (!entry) {
      heading.textContent = t('conversation.conversation');
      statusBadge.hidden = true;
      closeButton.hidden =
        flagButton.hidden =
        blockButton.hidden =
        spamButton.hidden =
        transferButton.hidden =
          true;
      composer.hidden = true;
      detailsPanel.hidden = true;
      missing.hidden = false;
      missing.textContent = state.ready ? t('conversation.gone') : t('conversation.loading');
      renderMessages(state);
      return;
    }
    missing.hidden = true;
    detailsPanel.hidden = false;
    const { summary } = entry;
    if (summary !== summaryShown) {
      summaryShown = summary;
      heading.textContent = visitorLabel(summary);
      statusBadge.hidden = false;
      statusBadge.textContent = t(STATUS_LABEL[summary.status]);
      statusBadge.className = `status-badge status-${summary.status}`;
      fill(details, visitorDetails(summary));
      if (summary.tags) tagEditor.show(summary.tags);
      const closed = summary.status === 'closed';
      closeButton.hidden = closed;
      transferButton.hidden = closed;
      flagButton.hidden = false;
      blockButton.hidden = false;
      spamButton.hidden = false;
      composer.hidden = closed;
      closedNote.hidden = !closed;
      const note = closedText(summary.closedBy, me);
      // Said aloud only as it happens, not when the agent opens a conversation that had already ended.
      if (closed && previous && closedNote.textContent !== note && summary.closedBy) options.announce(note);
      closedNote.textContent = note;
      if (closed) typing.stop();
    }
    typingLine.textContent = entry.visitorTyping ? t('conversation.visitorTyping') : '';
    reportSeen(state);
    if (
      !previous ||
      summary.seenByVisitor !== previous.inbox.conversations.get(conversationId)?.summary.seenByVisitor ||
      state.inbox.messages !== previous.inbox.messages ||
      state.inbox.notes !== previous.inbox.notes ||
      state.outbox !== previous.outbox ||
      state.ready !== previous.ready
    ) {
      renderMessages(state);
    }
  };

  /** While the agent can see this conversation, the server hears the newest visitor message (the inbox coalesces). */
  const reportSeen = (state: LiveState) => {
    const last = lastVisitorMessage(state.inbox.messages.get(conversationId));
    if (last && document.visibilityState === 'visible') live.seen(conversationId, last.id);
  };
  const onVisibilityChange = () => reportSeen(live.state);
  document.addEventListener('visibilitychange', onVisibilityChange);

  const submit = () => {
    replyStatus.clear();
    const text = reply.value.trim();
    if (text === '') return;
    if (text.length > MAX_MESSAGE_CHARS) {
      replyStatus.error(t('conversation.tooLong', { count: MAX_MESSAGE_CHARS }));
      return;
    }
    if (noteToggle.checked) {
      if (!live.note(conversationId, text)) {
        replyStatus.error(t('conversation.actionOffline'));
        return;
      }
      reply.value = '';
      return;
    }
    typing.stop();
    live.send(conversationId, text);
    reply.value = '';
    scroller.scrollTop = scroller.scrollHeight;
    if (!live.state.ready) replyStatus.info(t('conversation.sendOffline'));
  };

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  /** Sends files as the agent's messages, one after the other; the server's refusal is shown as it says it. */
  const sendFiles = async (files: readonly File[]) => {
    for (const file of files) {
      replyStatus.info(t('conversation.sendingFile', { name: file.name }));
      try {
        await api.sendFile(conversationId, file, newIdempotencyKey());
        replyStatus.clear();
        options.announce(t('conversation.fileSent', { name: file.name }));
      } catch (error) {
        replyStatus.error(messageOf(error));
        return;
      }
    }
  };
  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const files = [...(fileInput.files ?? [])];
    fileInput.value = '';
    void sendFiles(files);
  });
  reply.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void sendFiles(files);
  });
  reply.addEventListener('keydown', (event) => {
    if (picker.handleKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  noteToggle.addEventListener('change', () => {
    composer.classList.toggle('composer-note', noteToggle.checked);
    reply.placeholder = noteToggle.checked ? t('notes.placeholder') : t('conversation.replyPlaceholder');
    if (noteToggle.checked) typing.stop();
  });
  reply.addEventListener('input', () => {
    // Writing a note is not typing to the visitor.
    if (noteToggle.checked) return;
    if (reply.value.trim() === '') typing.stop();
    else typing.input();
  });
  reply.addEventListener('blur', () => typing.stop());

  const askToClose = async () => {
    if (closeButton.hidden) return;
    actionStatus.clear();
    const confirmed = await confirmDialog({
      title: t('conversation.closeTitle'),
      body: [t('conversation.closeBody')],
      confirmLabel: t('conversation.close'),
    });
    if (!confirmed) return;
    if (!live.close(conversationId)) actionStatus.error(t('conversation.actionOffline'));
  };
  closeButton.addEventListener('click', askToClose);

  transferButton.addEventListener('click', async () => {
    actionStatus.clear();
    let departments: Departments;
    try {
      departments = await api.departments();
    } catch (error) {
      actionStatus.error(messageOf(error));
      return;
    }
    const target = transferTargets(departments, me);
    const note = h('textarea', { name: 'transfer-note', rows: 3, maxlength: MAX_MESSAGE_CHARS });
    const confirmed = await confirmDialog({
      title: t('transfer.title'),
      body: [t('transfer.body')],
      fields: [field(t('transfer.to'), target), field(t('transfer.note'), note, t('transfer.noteHint'))],
      confirmLabel: t('transfer.transfer'),
    });
    const to = targetOf(target.value);
    if (!confirmed || !to) return;
    if (!live.transfer(conversationId, to, note.value.trim()))
      actionStatus.error(t('conversation.actionOffline'));
    else options.announce(t('transfer.sent'));
  });

  flagButton.addEventListener('click', async () => {
    actionStatus.clear();
    const confirmed = await confirmDialog({
      title: t('conversation.flagTitle'),
      body: [t('conversation.flagBody'), t('conversation.flagEnds')],
      confirmLabel: t('conversation.flagConfirm'),
      danger: true,
    });
    if (!confirmed) return;
    flagButton.disabled = true;
    try {
      await api.flagChild(conversationId);
      typing.stop();
      live.remove(conversationId);
      options.announce(t('conversation.flagged'));
      location.hash = hrefFor({ name: 'inbox', conversationId: null });
    } catch (error) {
      actionStatus.error(messageOf(error));
      flagButton.disabled = false;
    }
  });

  blockButton.addEventListener('click', async () => {
    actionStatus.clear();
    blockButton.disabled = true;
    try {
      const chosen = await chooseBlock(api);
      if (!chosen) return;
      await api.blockVisitor(conversationId, chosen.days, chosen.reason);
      options.announce(t('unwanted.blocked'));
    } catch (error) {
      actionStatus.error(messageOf(error));
    } finally {
      blockButton.disabled = false;
    }
  });

  spamButton.addEventListener('click', async () => {
    actionStatus.clear();
    spamButton.disabled = true;
    try {
      const chosen = await chooseSpamReport(api);
      if (!chosen) return;
      // Reported first: a block ends the chat, after which an agent may no longer see a chat they did not hold.
      await api.reportSpam(conversationId);
      if (chosen.blockDays !== null) await api.blockVisitor(conversationId, chosen.blockDays, null);
      typing.stop();
      live.remove(conversationId);
      options.announce(t('spam.reported'));
      location.hash = hrefFor({ name: 'inbox', conversationId: null });
    } catch (error) {
      actionStatus.error(messageOf(error));
    } finally {
      spamButton.disabled = false;
    }
  });

  render(live.state);
  const unsubscribe = live.subscribe((state, previous) => render(state, previous));
  return {
    element,
    askToClose() {
      void askToClose();
    },
    destroy() {
      typing.stop();
      unsubscribe();
      wide.removeEventListener('change', onWidthChange);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    },
  };
}

/**
 * SEC-1: asks for a block's period, among those the policy allows (the longest first chosen), and an optional reason
 * only the team sees; null when the agent cancels.
 */
async function chooseBlock(api: ApiClient): Promise<{ days: number; reason: string | null } | null> {
  const period = await blockPeriodSelect(api);
  const reason = h('input', { type: 'text', name: 'reason', maxlength: 500, autocomplete: 'off' });
  const confirmed = await confirmDialog({
    title: t('unwanted.blockTitle'),
    body: [t('unwanted.blockBody')],
    fields: [field(t('unwanted.period'), period), field(t('unwanted.reason'), reason)],
    confirmLabel: t('unwanted.blockConfirm'),
    danger: true,
  });
  if (!confirmed) return null;
  const text = reason.value.trim();
  return { days: Number(period.value), reason: text === '' ? null : text };
}

/** The periods a block may last, as the policy in force allows, the longest chosen. */
async function blockPeriodSelect(api: ApiClient): Promise<HTMLSelectElement> {
  const { days } = await api.blockPeriods();
  const period = h(
    'select',
    { name: 'period' },
    days.map((count) =>
      h(
        'option',
        { value: String(count) },
        count === 1 ? t('unwanted.oneDay') : t('unwanted.days', { count }),
      ),
    ),
  );
  period.value = String(days.at(-1));
  return period;
}

/**
 * SEC-1: confirms a spam report, offering to block the visitor as well for one of the policy's periods (when the
 * policy allows blocks); null when the agent cancels.
 */
async function chooseSpamReport(api: ApiClient): Promise<{ blockDays: number | null } | null> {
  const period = await blockPeriodSelect(api);
  const alsoBlock = h('input', { name: 'alsoBlock' });
  const periodField = field(t('unwanted.period'), period);
  periodField.hidden = true;
  alsoBlock.addEventListener('change', () => {
    periodField.hidden = !alsoBlock.checked;
  });
  const offerBlock = period.options.length > 0;
  const confirmed = await confirmDialog({
    title: t('spam.reportTitle'),
    body: [t('spam.reportBody')],
    fields: offerBlock ? [checkbox(t('spam.alsoBlock'), alsoBlock), periodField] : [],
    confirmLabel: t('spam.reportConfirm'),
    danger: true,
  });
  if (!confirmed) return null;
  return { blockDays: offerBlock && alsoBlock.checked ? Number(period.value) : null };
}
