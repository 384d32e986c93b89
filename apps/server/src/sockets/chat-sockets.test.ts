import { sha256, sweepRetention } from '@parley/db';
import { updateProfile } from '@parley/db/chat';
import {
  countRows,
  FIXTURE,
  readRow,
  readRows,
  type TableName,
  updateRows,
  type Where,
} from '@parley/db/testing';
import { PRESENCE_GRACE_MS } from '@parley/live';
import { ManualClock } from '@parley/live/testing';
import { addDuration, contentInForce, parleyPolicy } from '@parley/policy';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectAgent,
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';
import { showVisitorContext } from '../testing/visitor-context.ts';

const ACME = FIXTURE.accounts.acme;
const GLOBEX = FIXTURE.accounts.globex;

let server: TestServer;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
});
afterEach(async () => {
  await server.close();
});

const inProcess = () => inProcessClient(server);
const agent = async (email: string): Promise<TestSocket> => (await connectAgent(server, email)).socket;

async function visitor(
  options: {
    account?: string;
    chatId?: string;
    persistent?: boolean;
    privacySignal?: boolean;
    locale?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const socket = new TestSocket(
    `${server.wsUrl}/ws/visitor?account=${options.account ?? ACME.publicKey}`,
    options.headers,
  );
  socket.send({
    type: 'hello',
    persistent: options.persistent ?? true,
    page: 'https://acme.test/roses?q=secret#top',
    ...(options.chatId ? { chatId: options.chatId } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.privacySignal ? { privacySignal: true, persistent: false } : {}),
  });
  const welcome = await socket.next<{
    chatId: string;
    agentsOnline: boolean;
    conversation: unknown;
    messages: unknown[];
  }>('welcome');
  return { socket, welcome };
}

const count = <T extends TableName>(table: T, where: Where<T> = {}) => countRows(server.db, table, where);

describe('visitor ↔ agent', () => {
  it('greets a new visitor with a fresh chat id and stores nothing until they send', async () => {
    const visitors = await count('visitors');
    const { welcome } = await visitor({ chatId: 'chat_unknown_0000000000' });
    expect(welcome.chatId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(welcome.chatId).not.toBe('chat_unknown_0000000000');
    expect(welcome).toMatchObject({ agentsOnline: false, conversation: null, messages: [] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await count('visitors')).toBe(visitors);
  });

  it("acknowledges a visitor's message only once it is stored, then delivers it to the account's agents", async () => {
    await showVisitorContext(server.db, ACME.id);
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket, welcome } = await visitor({ locale: 'de-AT' });
    expect(welcome.agentsOnline).toBe(true);
    socket.send({ type: 'send', key: 'key_first_message', text: '  Hello, do you sell seeds?  ' });
    const ack = await socket.next<{ key: string; id: string; at: string }>('ack');
    expect(ack.key).toBe('key_first_message');
    // Committed before the ack left the server.
    expect((await readRow(server.db, 'messages', { id: ack.id })).body).toBe('Hello, do you sell seeds?');
    const created = await olivia.next<{ conversation: Record<string, unknown> }>('conversation');
    expect(created.conversation).toMatchObject({
      status: 'waiting',
      visitor: { country: 'AT', locale: 'de-AT', page: '/roses' },
    });
    const message = await olivia.next<{ message: Record<string, unknown> }>('message');
    expect(message.message).toMatchObject({
      id: ack.id,
      author: 'visitor',
      text: 'Hello, do you sell seeds?',
    });
    expect(await socket.next('conversation')).toMatchObject({ status: 'waiting' });
    const [row] = await readRows(
      server.db,
      'visitors',
      {},
      { orderBy: 'createdAt', descending: true, limit: 1 },
    );
    expect(row!.chatIdHash).not.toBe(welcome.chatId);
    expect(row).toMatchObject({ persistent: true, country: 'AT', currentPage: '/roses' });
  });

  it("delivers an agent's answer to the visitor, who sees the agent take the conversation", async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor();
    socket.send({ type: 'send', key: 'key_question_1', text: 'Are tulips in stock?' });
    const { conversation } = await olivia.next<{ conversation: { id: string } }>('conversation');
    await socket.next('ack');
    olivia.send({
      type: 'send',
      key: 'key_answer_01',
      conversationId: conversation.id,
      text: 'Yes, plenty.',
    });
    const ack = await olivia.next<{ id: string }>('ack');
    expect(await socket.next('conversation', (f) => f.status === 'active')).toMatchObject({
      agentName: 'Olivia',
    });
    const message = await socket.next<{ message: Record<string, unknown> }>('message');
    expect(message.message).toMatchObject({
      id: ack.id,
      author: 'agent',
      authorName: 'Olivia',
      text: 'Yes, plenty.',
    });
    const row = await readRow(server.db, 'conversations', { id: conversation.id });
    expect(row).toMatchObject({ status: 'active', agentId: FIXTURE.agents.acmeOwner.id });
    expect(row.firstResponseAt).toEqual(expect.any(Number));
    // The visitor types; the agent sees it.
    socket.send({ type: 'typing', typing: true });
    expect(await olivia.next('typing')).toMatchObject({ conversationId: conversation.id, typing: true });
    olivia.send({ type: 'typing', conversationId: conversation.id, typing: true });
    expect(await socket.next('typing')).toMatchObject({ name: 'Olivia', typing: true });
  });

  it('RET-2: the visitor sees the name the agent chose to show: their display name, else their initials', async () => {
    const owner = FIXTURE.agents.acmeOwner;
    await updateProfile(server.db, {
      accountId: FIXTURE.accounts.acme.id,
      agentId: owner.id,
      changes: { displayName: 'Liv from Acme' },
    });
    const olivia = await agent(owner.email);
    const { socket } = await visitor();
    socket.send({ type: 'send', key: 'key_shown_name', text: 'Who is this?' });
    const { conversation } = await olivia.next<{ conversation: { id: string } }>('conversation');
    olivia.send({ type: 'send', key: 'key_shown_answer', conversationId: conversation.id, text: 'Hi!' });
    expect(await socket.next('conversation', (f) => f.status === 'active')).toMatchObject({
      agentName: 'Liv from Acme',
    });
    olivia.send({ type: 'typing', conversationId: conversation.id, typing: true });
    expect(await socket.next('typing')).toMatchObject({ name: 'Liv from Acme' });
    await updateProfile(server.db, {
      accountId: FIXTURE.accounts.acme.id,
      agentId: owner.id,
      changes: { displayName: null, initials: 'OL' },
    });
    olivia.send({ type: 'close', conversationId: conversation.id });
    expect(await socket.next('conversation', (f) => f.status === 'closed')).toMatchObject({
      agentName: 'OL',
    });
  });

  it('acknowledges a resent message with the same id, stores it once, and publishes it again under that id', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor();
    socket.send({ type: 'send', key: 'key_resent_msg', text: 'Only once please' });
    const first = await socket.next<{ id: string }>('ack');
    const delivered = await olivia.next<{ message: { id: string } }>('message');
    expect(delivered.message.id).toBe(first.id);
    // A dashboard that never got it, as one on another node would not if the node that stored it died first.
    const elsewhere = await agent(FIXTURE.agents.acmeOwner.email);
    socket.send({ type: 'send', key: 'key_resent_msg', text: 'Only once please' });
    const second = await socket.next<{ id: string }>('ack');
    expect(second.id).toBe(first.id);
    const again = await elsewhere.next<{ message: { id: string } }>('message');
    expect(again.message.id).toBe(first.id);
    // A socket that already sent it does not send it twice.
    await olivia.none('message');
    expect(await count('messages', { clientKey: 'key_resent_msg' })).toBe(1);
  });

  it('shows a returning visitor their open conversation', async () => {
    const { welcome } = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    expect(welcome.chatId).toBe(FIXTURE.visitors.ben.chatId);
    expect(welcome.conversation).toMatchObject({
      id: FIXTURE.conversations.benActive,
      status: 'active',
      agentName: 'Olivia',
    });
    expect(welcome.messages).toHaveLength(2);
  });

  it('lets the agent close the conversation, after which the visitor rates it', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    socket.send({ type: 'rate', rating: 4 });
    expect(await socket.next('error')).toMatchObject({ code: 'not_ready' });
    olivia.send({ type: 'close', conversationId: FIXTURE.conversations.benActive });
    expect(await socket.next('conversation')).toMatchObject({ status: 'closed' });
    await olivia.next('conversation', (f) => (f.conversation as { status: string }).status === 'closed');
    // Back on the page before rating, the ended chat is still there to rate.
    const unrated = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    expect(unrated.welcome.conversation).toMatchObject({ status: 'closed' });
    expect(unrated.welcome.conversation).not.toHaveProperty('rated');
    socket.send({ type: 'rate', rating: 4, comment: 'Quick and kind' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'rating' });
    const rated = await olivia.next<{ conversation: { rating: number } }>(
      'conversation',
      (f) => (f.conversation as { rating?: number }).rating !== undefined,
    );
    expect(rated.conversation.rating).toBe(4);
    // Back on the page after rating, the widget is told not to ask again.
    const again = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    expect(again.welcome.conversation).toMatchObject({ status: 'closed', rated: true });
    olivia.send({
      type: 'send',
      key: 'key_after_close',
      conversationId: FIXTURE.conversations.benActive,
      text: 'Hi?',
    });
    expect(await olivia.next('error')).toMatchObject({ code: 'conversation_closed', key: 'key_after_close' });
  });

  it('lets the visitor end the chat and ask for a transcript by email', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    socket.send({ type: 'end' });
    expect(await socket.next('conversation')).toMatchObject({ status: 'closed' });
    await olivia.next('conversation', (f) => (f.conversation as { status: string }).status === 'closed');
    socket.send({ type: 'transcript', email: 'ben@example.org' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'transcript' });
    const mail = await readRow(server.db, 'noticeOutbox', { kind: 'transcript', toEmail: 'ben@example.org' });
    expect(mail.visitorId).toBe(FIXTURE.visitors.ben.id);
    expect(mail.body).toContain('Are your tulip bulbs organic?');
    expect(mail.body).toContain('Olivia: Yes, all of them.');
  });

  it.each([
    {
      locale: 'de-AT',
      subject: 'Ihr Chat mit Acme Gardening GmbH',
      words: [
        'Ihr Chat mit Acme Gardening GmbH, begonnen am',
        'Dauer: ',
        'Sie: Are your tulip bulbs organic?',
      ],
      month: 'de',
    },
    {
      locale: 'pl-PL',
      subject: 'Twoja rozmowa z Acme Gardening GmbH',
      words: [
        'Twoja rozmowa z Acme Gardening GmbH, rozpoczęta',
        'Czas trwania: ',
        'Ty: Are your tulip bulbs organic?',
      ],
      month: 'pl',
    },
  ])("mails the transcript in the language the visitor's browser asked for ($locale)", async (language) => {
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId, locale: language.locale });
    socket.send({ type: 'end' });
    await socket.next('conversation');
    socket.send({ type: 'transcript', email: 'ben@example.org' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'transcript' });
    const mail = await readRow(server.db, 'noticeOutbox', { kind: 'transcript', toEmail: 'ben@example.org' });
    const started = (await readRow(server.db, 'conversations', { id: FIXTURE.conversations.benActive }))
      .startedAt;
    expect(mail.subject).toBe(language.subject);
    const body = mail.body;
    for (const words of language.words) expect(body).toContain(words);
    // The date as the visitor's language writes it, month name and all.
    expect(body).toContain(
      new Intl.DateTimeFormat(language.month, {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'UTC',
      }).format(started),
    );
    expect(body).toContain('Olivia: Yes, all of them.');
    expect(body).not.toContain('Your chat with');
  });

  it('mails the transcript in English to a visitor whose language the widget does not speak', async () => {
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId, locale: 'sv-SE' });
    socket.send({ type: 'end' });
    await socket.next('conversation');
    socket.send({ type: 'transcript', email: 'ben@example.org' });
    await socket.next('done');
    const mail = await readRow(server.db, 'noticeOutbox', { kind: 'transcript', toEmail: 'ben@example.org' });
    expect(mail.subject).toBe('Your chat with Acme Gardening GmbH');
    expect(mail.body).toContain('You: Are your tulip bulbs organic?');
  });

  it('tells each side who ended the chat: the agent by name, or the visitor', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    olivia.send({ type: 'close', conversationId: FIXTURE.conversations.benActive });
    expect(await socket.next('conversation')).toMatchObject({
      status: 'closed',
      closedBy: { by: 'agent', name: 'Olivia' },
    });
    const byAgent = await olivia.next<{ conversation: unknown }>(
      'conversation',
      (f) => (f.conversation as { status: string }).status === 'closed',
    );
    expect(byAgent.conversation).toMatchObject({ closedBy: { by: 'agent', name: 'Olivia' } });

    const other = await visitor();
    other.socket.send({ type: 'send', key: 'key_before_ending', text: 'Thanks, that is all.' });
    await other.socket.next('ack');
    other.socket.send({ type: 'end' });
    expect(await other.socket.next('conversation', (f) => f.status === 'closed')).toMatchObject({
      status: 'closed',
      closedBy: { by: 'visitor' },
    });
    const byVisitor = await olivia.next<{ conversation: unknown }>(
      'conversation',
      (f) => (f.conversation as { status: string }).status === 'closed',
    );
    expect(byVisitor.conversation).toMatchObject({ closedBy: { by: 'visitor' } });
  });

  it('keeps the pre-chat profile and messages left while nobody is online', async () => {
    const { socket, welcome } = await visitor({ account: GLOBEX.publicKey });
    expect(welcome.agentsOnline).toBe(false);
    socket.send({ type: 'profile', name: 'Pia', email: 'pia@example.org' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'profile' });
    socket.send({
      type: 'offline_message',
      key: 'key_offline_1',
      email: 'pia@example.org',
      text: 'Please call back.',
    });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'offline_message' });
    socket.send({
      type: 'offline_message',
      key: 'key_offline_1',
      email: 'pia@example.org',
      text: 'Please call back.',
    });
    await socket.next('done');
    expect(await count('offlineMessages', { accountId: GLOBEX.id, clientKey: 'key_offline_1' })).toBe(1);
    expect(await count('noticeOutbox', { kind: 'offline_message', accountId: GLOBEX.id })).toBe(1);
    expect(await count('visitors', { name: 'Pia', email: 'pia@example.org', accountId: GLOBEX.id })).toBe(1);
  });

  it("mails a message left while nobody is online in the owner's chosen language, else in English", async () => {
    await updateRows(server.db, 'agents', { language: 'de' }, { id: FIXTURE.agents.globexOwner.id });
    for (const [account, key] of [
      [GLOBEX, 'key_offline_de'],
      [ACME, 'key_offline_en'],
    ] as const) {
      const { socket } = await visitor({ account: account.publicKey });
      socket.send({
        type: 'offline_message',
        key,
        name: 'Pia',
        email: 'pia@example.org',
        text: 'Call back.',
      });
      expect(await socket.next('done')).toEqual({ type: 'done', what: 'offline_message' });
    }
    const german = await readRow(server.db, 'noticeOutbox', {
      kind: 'offline_message',
      accountId: GLOBEX.id,
    });
    expect(german.subject).toBe('Ein Besucher hat Ihnen eine Nachricht hinterlassen: Pia');
    expect(german.body).toBe(
      'Pia (pia@example.org) hat geschrieben, während kein Agent online war:\n\nCall back.\n\n' +
        'Antworten Sie auf diese E-Mail, um der Person zu antworten. Die Nachricht steht auch in Ihrem Dashboard.',
    );
    const english = await readRow(server.db, 'noticeOutbox', { kind: 'offline_message', accountId: ACME.id });
    expect(english.subject).toBe('A visitor left you a message: Pia');
    expect(english.body).toContain('Pia (pia@example.org) wrote while no agent was online:');
  });

  it('tells visitors whether any agent is online as agents come, go and change their status', async () => {
    const { socket, welcome } = await visitor();
    expect(welcome.agentsOnline).toBe(false);
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    expect(await socket.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    olivia.send({ type: 'status', online: false });
    expect(await socket.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    olivia.send({ type: 'status', online: true });
    expect(await socket.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    olivia.close();
    await olivia.closed;
    // A dropped dashboard counts for the grace period, then the agent is gone.
    clock.advance(PRESENCE_GRACE_MS);
    expect(await socket.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
  });

  it('sends an agent the waiting and active conversations of their account, and history on request', async () => {
    const session = await signIn(inProcess(), FIXTURE.agents.acmeOwner.email);
    const olivia = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: server.running.url,
      cookie: session.cookie,
    });
    const snapshot = await olivia.next<{
      agent: Record<string, unknown>;
      conversations: Array<{ id: string }>;
    }>('snapshot');
    expect(snapshot.agent).toEqual({ id: FIXTURE.agents.acmeOwner.id, name: 'Olivia', online: true });
    expect(snapshot.conversations.map((c) => c.id).sort()).toEqual(
      [FIXTURE.conversations.benActive, FIXTURE.conversations.gpcWaiting].sort(),
    );
    olivia.send({ type: 'open', conversationId: FIXTURE.conversations.annaClosed });
    const history = await olivia.next<{ messages: unknown[] }>('history');
    expect(history.messages).toHaveLength(4);
  });
});

describe('SIG-1: privacy signals', () => {
  const KEEP = contentInForce(parleyPolicy).signals.keepAtMost!;
  /** The visitor row behind a message the visitor sent. */
  const rowOf = async (key: string) => {
    const { visitorId } = await readRow(server.db, 'messages', { clientKey: key });
    const { id, chatIdHash, currentPage, country, locale, persistent, timeZone, browser, system } =
      await readRow(server.db, 'visitors', { id: visitorId });
    return { id, chatIdHash, currentPage, country, locale, persistent, timeZone, browser, system };
  };
  /** Chats and ends the chat; returns the conversation's id and when it closed. */
  async function chatAndEnd(socket: TestSocket, key: string) {
    socket.send({ type: 'send', key, text: 'Is the shop open on Sunday?' });
    await socket.next('ack');
    socket.send({ type: 'end' });
    await socket.next('conversation', (f) => f.status === 'closed');
    const { conversationId } = await readRow(server.db, 'messages', { clientKey: key });
    const { id, closedAt } = await readRow(server.db, 'conversations', { id: conversationId });
    if (closedAt === null) throw new Error(`the conversation of ${key} did not close`);
    return { id, closedAt };
  }

  it.each([
    ['Sec-GPC: 1 is on the request only, not in the widget’s frame', { headers: { 'sec-gpc': '1' } }],
    ['DNT: 1 is on the request only', { headers: { dnt: '1' } }],
    ['the widget sends the signal on its socket, with no header', { privacySignal: true }],
  ])(
    'SIG-1: when %s, nothing but the conversation is kept, and it has the shortest retention',
    async (_title, options) => {
      await server.close();
      server = await startTestServer({ config: { countryHeader: 'cf-ipcountry' } });
      // Even where the website shows agents every item of context.
      await showVisitorContext(server.db, ACME.id);
      const browser = {
        'cf-ipcountry': 'NL',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
        'accept-language': 'de-AT,de;q=0.9',
      };
      const headers = { ...browser, ...('headers' in options ? options.headers : {}) };
      const signal = 'privacySignal' in options;
      const { socket } = await visitor({
        locale: 'de-AT',
        headers,
        ...(signal ? { privacySignal: true } : {}),
      });
      const quiet = await visitor({ locale: 'de-AT', headers: browser });
      const chat = await chatAndEnd(socket, 'key_signal_msg');
      const other = await chatAndEnd(quiet.socket, 'key_plain_msg');

      expect(await rowOf('key_signal_msg')).toMatchObject({
        chatIdHash: null,
        currentPage: null,
        country: null,
        locale: null,
        persistent: false,
        timeZone: null,
        browser: null,
        system: null,
      });
      // The same visit without a signal keeps what agents are shown, so the test above has something to miss.
      expect(await rowOf('key_plain_msg')).toMatchObject({
        chatIdHash: expect.any(String),
        currentPage: '/roses',
        country: 'NL',
        locale: 'de-AT',
        persistent: true,
        browser: 'Firefox',
        system: 'Linux',
      });

      // Not even the access log keeps which browser or language the signalling visitor's socket came with.
      socket.close();
      quiet.socket.close();
      await Promise.all([socket.closed, quiet.socket.closed]);
      const logged = async (key: string) => {
        await server.parley.services.accessLog.flush();
        const [line] = await readRows(server.db, 'accessLog', { visitorId: (await rowOf(key)).id });
        return line && { browser: line.browser, language: line.language };
      };
      await expect.poll(() => logged('key_signal_msg')).toEqual({ browser: null, language: null });
      await expect.poll(() => logged('key_plain_msg')).toEqual({ browser: 'Firefox 132', language: 'de-AT' });

      // Just past the policy's limit for signalling visitors, only their conversation is gone.
      const after = addDuration(new Date(Math.max(chat.closedAt, other.closedAt)), KEEP).getTime() + 60_000;
      await sweepRetention(server.db, server.parley.services.content, { now: after });
      const left = (id: string) => count('conversations', { id });
      expect([await left(chat.id), await left(other.id)]).toEqual([0, 1]);
    },
  );

  it('SIG-1: under a signal, the transcript is still written in the visitor’s language, which is not stored', async () => {
    const { socket } = await visitor({ locale: 'pl-PL', privacySignal: true });
    await chatAndEnd(socket, 'key_signal_polish');
    socket.send({ type: 'transcript', email: 'reader@example.org' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'transcript' });
    const mail = await readRow(server.db, 'noticeOutbox', {
      kind: 'transcript',
      toEmail: 'reader@example.org',
    });
    expect(mail.subject).toBe('Twoja rozmowa z Acme Gardening GmbH');
    expect(mail.body).toContain('Ty: Is the shop open on Sunday?');
    expect(await rowOf('key_signal_polish')).toMatchObject({ locale: null, country: null });
  });

  it('SIG-1: under a signal, the chat carries on from page to page by its signed chat id, and agents reach the visitor', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const first = await visitor({ privacySignal: true });
    first.socket.send({ type: 'send', key: 'key_signal_first', text: 'Do you have tulips?' });
    await first.socket.next('ack');
    const { conversation } = await olivia.next<{ conversation: { id: string; visitor: unknown } }>(
      'conversation',
    );
    expect(conversation.visitor).toEqual({});
    first.socket.close();

    const next = await visitor({ privacySignal: true, chatId: first.welcome.chatId });
    expect(next.welcome.chatId).toBe(first.welcome.chatId);
    expect(next.welcome.conversation).toMatchObject({ id: conversation.id });
    expect(next.welcome.messages).toHaveLength(1);
    olivia.send({ type: 'send', key: 'key_agent_reply', conversationId: conversation.id, text: 'We do.' });
    expect(await next.socket.next('message')).toMatchObject({ message: { text: 'We do.' } });
  });

  it('SIG-1: under a signal, neither an earlier chat id nor a signed chat id altered or taken to another account recognises the visitor', async () => {
    const first = await visitor({ privacySignal: true });
    first.socket.send({ type: 'send', key: 'key_signal_keep', text: 'Hello' });
    await first.socket.next('ack');
    const signed = first.welcome.chatId;
    const altered = signed.slice(0, -1) + (signed.endsWith('A') ? 'B' : 'A');
    for (const [account, chatId] of [
      [ACME.publicKey, FIXTURE.visitors.ben.chatId],
      [ACME.publicKey, altered],
      [GLOBEX.publicKey, signed],
    ] as const) {
      const { welcome } = await visitor({ account, privacySignal: true, chatId });
      expect(welcome.chatId, chatId).not.toBe(chatId);
      expect(welcome.conversation, chatId).toBeNull();
    }
    // The signed chat id itself still finds the chat in progress.
    expect((await visitor({ privacySignal: true, chatId: signed })).welcome.conversation).not.toBeNull();
  });

  it('SIG-1: with no chat-id hash kept, erasing a signalling visitor still closes their open widget', async () => {
    const { socket } = await visitor({ privacySignal: true });
    socket.send({ type: 'send', key: 'key_signal_erase', text: 'Please forget me' });
    await socket.next('ack');
    const { id } = await rowOf('key_signal_erase');
    const owner = await signIn(inProcess(), FIXTURE.agents.acmeOwner.email);
    const erased = await inProcess().request(`/app/api/visitors/${id}/erase`, {
      method: 'POST',
      headers: writeHeaders(owner),
    });
    expect(erased.status).toBe(200);
    expect((await socket.closed).code).toBe(CLOSE_CODES.policy);
    expect(await count('visitors', { id })).toBe(0);
  });

  it('SIG-1, CK-4: after a signalling visitor opts out, their signed chat id no longer finds them', async () => {
    const first = await visitor({ privacySignal: true });
    first.socket.send({ type: 'send', key: 'key_signal_optout', text: 'Hello' });
    await first.socket.next('ack');
    first.socket.send({ type: 'opt_out', text: 'Turn chat off.' });
    expect((await first.socket.closed).code).toBe(CLOSE_CODES.policy);
    const again = await visitor({ privacySignal: true, chatId: first.welcome.chatId });
    expect(again.welcome.chatId).not.toBe(first.welcome.chatId);
    expect(again.welcome.conversation).toBeNull();
  });

  it('SIG-1: once the chat is over, its signed chat id no longer finds the visitor', async () => {
    const first = await visitor({ privacySignal: true });
    const chat = await chatAndEnd(first.socket, 'key_signal_over');
    await updateRows(
      server.db,
      'conversations',
      { closedAt: chat.closedAt - 2 * 60 * 60 * 1000 },
      { id: chat.id },
    );
    const later = await visitor({ privacySignal: true, chatId: first.welcome.chatId });
    expect(later.welcome.chatId).not.toBe(first.welcome.chatId);
    expect(later.welcome.conversation).toBeNull();
  });
});

describe('CK-4: opting out', () => {
  it('CK-4: keeps the hash of the German text a German widget showed, and its language', async () => {
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    const text = 'Chat abschalten? Kein Chat, keine Cookies: Das Widget bleibt auf dieser Website aus.';
    socket.send({ type: 'opt_out', text, language: 'de' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'opt_out' });
    const [record] = await readRows(server.db, 'consentRecords', {
      visitorId: FIXTURE.visitors.ben.id,
      choice: 'opt_out',
    });
    expect(record).toMatchObject({ scope: 'widget', textHash: sha256(text), language: 'de' });
  });

  it('CK-4: records the opt-out with the policy version and a hash of the text, forgets the chat id, and closes', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    const other = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    const text = 'Turn chat off. The widget will stay off on this site.';
    socket.send({ type: 'opt_out', text });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'opt_out' });
    expect((await socket.closed).code).toBe(CLOSE_CODES.policy);
    expect((await other.socket.closed).code).toBe(CLOSE_CODES.policy);
    const [record] = await readRows(server.db, 'consentRecords', {
      visitorId: FIXTURE.visitors.ben.id,
      choice: 'opt_out',
    });
    expect(record).toMatchObject({
      accountId: ACME.id,
      scope: 'widget',
      choice: 'opt_out',
      policyVersion: server.parley.services.policyVersion.version,
      textHash: sha256(text),
      language: 'en',
    });
    expect((await readRow(server.db, 'visitors', { id: FIXTURE.visitors.ben.id })).chatIdHash).toBeNull();
    const closed = await olivia.next(
      'conversation',
      (f) => (f.conversation as { status: string }).status === 'closed',
    );
    expect(closed).toMatchObject({ conversation: { id: FIXTURE.conversations.benActive } });
    const again = await visitor({ chatId: FIXTURE.visitors.ben.chatId });
    expect(again.welcome.chatId).not.toBe(FIXTURE.visitors.ben.chatId);
  });

  it('CK-4: a visitor who never chatted opts out without a visitor row being created', async () => {
    const visitors = await count('visitors');
    const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
    socket.send({ type: 'opt_out', text: 'No chat for me' });
    expect(await socket.next('done')).toEqual({ type: 'done', what: 'opt_out' });
    expect((await socket.closed).code).toBe(CLOSE_CODES.policy);
    expect(await count('visitors')).toBe(visitors);
    expect(await count('consentRecords', { visitorId: null, textHash: sha256('No chat for me') })).toBe(1);
  });
});

describe('countries, never IP addresses', () => {
  it('takes the country from a configured proxy header', async () => {
    await server.close();
    server = await startTestServer({ config: { countryHeader: 'cf-ipcountry' } });
    await showVisitorContext(server.db, ACME.id, {
      pages: false,
      localTime: false,
      country: true,
      browser: false,
      history: false,
    });
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    const { socket } = await visitor({ locale: 'de-AT', headers: { 'cf-ipcountry': 'nl' } });
    socket.send({ type: 'send', key: 'key_country_1', text: 'Hallo' });
    const { conversation } = await olivia.next<{ conversation: { visitor: Record<string, unknown> } }>(
      'conversation',
    );
    expect(conversation.visitor).toEqual({ country: 'NL', locale: 'de-AT' });
  });

  it('LOG-1: logs the visitor socket once it closes, linked to the visitor so erasure finds it', async () => {
    const { socket } = await visitor();
    socket.send({ type: 'send', key: 'key_logged_msg', text: 'log me' });
    await socket.next('ack');
    socket.close();
    await socket.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.parley.services.accessLog.flush();
    const { visitorId } = await readRow(server.db, 'messages', { clientKey: 'key_logged_msg' });
    const [row] = await readRows(server.db, 'accessLog', { visitorId });
    expect(row).toMatchObject({ route: '/ws/visitor', status: 101, ipTruncated: '127.0.0.0' });
  });

  it('LOG-1: logs an agent socket as a 101 with a truncated address and no cookie', async () => {
    const olivia = await agent(FIXTURE.agents.acmeOwner.email);
    olivia.close();
    await server.parley.services.accessLog.flush();
    const [row] = await readRows(
      server.db,
      'accessLog',
      { route: '/ws/agent' },
      { orderBy: 'id', descending: true, limit: 1 },
    );
    expect(row).toMatchObject({ method: 'GET', status: 101, ipTruncated: '127.0.0.0', visitorId: null });
    expect(JSON.stringify(row)).not.toContain('parley_session');
  });
});
