import { MAIL_LIMITS } from '@parley/db';
import { countRows, FIXTURE, readRows } from '@parley/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
} from '../testing/test-app.ts';

// The widget must not become a way to mail strangers: the limits on transcripts and offline-message mail hold
// across sockets, reconnects and restarts, and under a parallel burst.

const ACME = FIXTURE.accounts.acme;
const GLOBEX = FIXTURE.accounts.globex;

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
const start = async (options: Parameters<typeof startTestServer>[0] = {}) => {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
};

async function visitor(server: TestServer, account: string, chatId?: string): Promise<TestSocket> {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${account}`);
  socket.send({ type: 'hello', persistent: true, ...(chatId ? { chatId } : {}) });
  await socket.next('welcome');
  return socket;
}

/** The answer to a `transcript` frame: `done`, or the code of the error. */
async function askTranscript(socket: TestSocket, email: string): Promise<string> {
  socket.send({ type: 'transcript', email });
  // One waiter for either answer: two racing waiters would leave the loser to take the next question's answer.
  const answer = await socket.next(['done', 'error']);
  return answer.type === 'done' ? 'done' : String(answer.code);
}

/** Transcripts queued to addresses that `to` accepts, given in lower case (an address's case does not matter). */
const transcriptsTo = async (server: TestServer, to: (address: string) => boolean): Promise<number> =>
  (await readRows(server.db, 'noticeOutbox', { kind: 'transcript' })).filter((mail) =>
    to(mail.toEmail.toLowerCase()),
  ).length;

describe('SEC-1: mail limits on the visitor socket (/ws/visitor `transcript` and `offline_message`)', () => {
  it(`mails a conversation's transcript at most ${MAIL_LIMITS.transcriptsPerConversation} times, however often the visitor reconnects`, async () => {
    const server = await start();
    const ben = FIXTURE.visitors.ben.chatId;
    // Five sockets of one visitor (reconnects, tabs), each asking three times, all at once.
    const sockets = await Promise.all(Array.from({ length: 5 }, () => visitor(server, ACME.publicKey, ben)));
    const answers = await Promise.all(
      sockets.flatMap((socket, s) =>
        [0, 1, 2].map((i) => askTranscript(socket, `reader-${s}-${i}@example.test`)),
      ),
    );
    expect(answers.filter((a) => a === 'done')).toHaveLength(MAIL_LIMITS.transcriptsPerConversation);
    expect(new Set(answers.filter((a) => a !== 'done'))).toEqual(new Set(['transcript_limit']));
    expect(await transcriptsTo(server, (address) => address.startsWith('reader-'))).toBe(
      MAIL_LIMITS.transcriptsPerConversation,
    );

    // A restart keeps the count: it is in the database, not in a socket.
    const db = server.db;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const restarted = await start({ db });
    const again = await visitor(restarted, ACME.publicKey, ben);
    expect(await askTranscript(again, 'reader-after-restart@example.test')).toBe('transcript_limit');
  });

  it(`mails one address at most ${MAIL_LIMITS.recipient.max} times a day, from any number of chats at once`, async () => {
    const server = await start();
    // Seven visitors, each with a conversation of their own, all sending their transcript to one stranger.
    const sockets = await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const socket = await visitor(server, ACME.publicKey);
        socket.send({ type: 'send', key: `key_limit_${i}_0000`, text: `Hello ${i}` });
        await socket.next('ack');
        return socket;
      }),
    );
    const answers = await Promise.all(
      sockets.map((socket) => askTranscript(socket, 'Stranger@Example.test')),
    );
    expect(answers.filter((a) => a === 'done')).toHaveLength(MAIL_LIMITS.recipient.max);
    expect(answers.filter((a) => a !== 'done')).toEqual(['recipient_limit', 'recipient_limit']);
    expect(await transcriptsTo(server, (address) => address === 'stranger@example.test')).toBe(
      MAIL_LIMITS.recipient.max,
    );
    // What is kept of the address is a keyed hash only.
    const limits = JSON.stringify(await readRows(server.db, 'mailLimits'));
    expect(limits).not.toMatch(/stranger/i);
  });

  it(`mails an account at most ${MAIL_LIMITS.offlineMessages.max} offline messages an hour and shows the rest to agents as held`, async () => {
    const server = await start();
    const extra = 3;
    const total = MAIL_LIMITS.offlineMessages.max + extra;
    const sockets = await Promise.all(Array.from({ length: 4 }, () => visitor(server, GLOBEX.publicKey)));
    await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const socket = sockets[i % sockets.length]!;
        socket.send({
          type: 'offline_message',
          key: `key_offline_burst_${i}`,
          email: `writer${i}@example.test`,
          text: `Message number ${i}`,
        });
      }),
    );
    for (const [s, socket] of sockets.entries())
      for (let i = s; i < total; i += sockets.length) await socket.next('done');
    const mailed = await countRows(server.db, 'noticeOutbox', {
      kind: 'offline_message',
      accountId: GLOBEX.id,
    });
    expect(mailed).toBe(MAIL_LIMITS.offlineMessages.max);

    const gina = await signIn(inProcessClient(server), FIXTURE.agents.globexOwner.email);
    const response = await inProcessClient(server).request('/app/api/offline-messages', {
      headers: { cookie: gina.cookie },
    });
    const { offlineMessages } = (await response.json()) as {
      offlineMessages: Array<{ text: string; mailHeld: boolean }>;
    };
    const burst = offlineMessages.filter((m) => m.text.startsWith('Message number'));
    expect(burst).toHaveLength(total);
    expect(burst.filter((m) => m.mailHeld)).toHaveLength(extra);
  });
});
