import type { ParleyDb } from '../connection.ts';
import { hashChatId, sha256 } from '../ids.ts';
import { write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/** Every fixture timestamp is relative to this instant, so results never depend on the clock. */
export const FIXTURE_NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const minutes = (n: number) => FIXTURE_NOW - n * 60_000;
const days = (n: number) => FIXTURE_NOW - n * 86_400_000;

/** The password of every fixture agent and staff member. */
export const FIXTURE_PASSWORD = 'correct horse battery staple';
const PASSWORD_HASH = 'scrypt$32768$8$1$m2uddHBOrPkBkM2T5P9B0w$ht9BpF6mmUqDC7XJEONaC9XucuVvxQYHIwFGHTRZAOs';

/** Ids and secrets of the fixture data set, for tests to refer to. */
export const FIXTURE = {
  accounts: {
    acme: {
      id: 'acc_acme',
      publicKey: 'pk_acme_0000000000000000',
      region: 'DE',
      apiKey: 'sk_acme_test_key_000000000000',
    },
    globex: {
      id: 'acc_globex',
      publicKey: 'pk_globex_000000000000000',
      region: 'US',
      apiKey: 'sk_globex_test_key_00000000000',
    },
    initech: {
      id: 'acc_initech',
      publicKey: 'pk_initech_00000000000000',
      region: 'SG',
      apiKey: 'sk_initech_test_key_0000000000',
    },
  },
  agents: {
    acmeOwner: { id: 'agt_acme_owner', email: 'olivia@acme.test', name: 'Olivia' },
    acmeAgent: { id: 'agt_acme_adam', email: 'adam@acme.test', name: 'Adam' },
    globexOwner: { id: 'agt_globex_owner', email: 'gina@globex.test', name: 'Gina' },
    initechOwner: { id: 'agt_initech_owner', email: 'ian@initech.test', name: 'Ian' },
  },
  staff: { operator: { id: 'stf_operator', email: 'ops@parley.test', name: 'Oona Operator' } },
  visitors: {
    anna: {
      id: 'vis_anna',
      chatId: 'chat_anna_000000000000',
      name: 'Anna Visitor',
      email: 'anna@example.org',
    },
    ben: { id: 'vis_ben', chatId: 'chat_ben_0000000000000' },
    optedOut: { id: 'vis_optout', chatId: 'chat_optout_0000000000' },
    /** Sent Global Privacy Control: nothing but the conversation is kept (SIG-1), so there is no chat id to know. */
    gpc: { id: 'vis_gpc' },
    gwen: { id: 'vis_gwen', chatId: 'chat_gwen_000000000000', name: 'Gwen', email: 'gwen@example.net' },
  },
  conversations: {
    annaClosed: 'cnv_anna_closed',
    benActive: 'cnv_ben_active',
    gpcWaiting: 'cnv_gpc_waiting',
    gwenWaiting: 'cnv_gwen_waiting',
  },
  requests: { benErasure: 'dsr_ben_erasure', annaAccess: 'dsr_anna_access_overdue' },
  /** Acme's one tag, on Anna's closed conversation. */
  tags: { acmeRoses: 'tag_acme_roses' },
  /**
   * The photo Anna sent last in her conversation (a 2×2 PNG whose comment says `marker`), with its WebP thumbnail.
   * Its message's text is its name.
   */
  files: {
    annaPhoto: {
      id: 'fil_anna_photo',
      messageId: 'msg_anna_4',
      name: 'rose-bed.png',
      marker: 'Anna rose bed, row 3',
      png: 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEklEQVQImWM4YKl9wFKbAUIBACJSBJGhAHVTAAAAHHRFWHRDb21tZW50AEFubmEgcm9zZSBiZWQsIHJvdyAzc2KcSQAAAABJRU5ErkJggg==',
      thumbnail: 'UklGRjoAAABXRUJQVlA4IC4AAADwAQCdASoCAAIAAUAmJaACdLoB+AAETAAA/u9RL/vvQG8n//aWfpWPpWP4VAAA',
    },
  },
} as const;

const A = FIXTURE.accounts;
const G = FIXTURE.agents;
const V = FIXTURE.visitors;
const C = FIXTURE.conversations;

export async function seedFixtures(db: ParleyDb): Promise<void> {
  await transaction(db, async () => {
    await write(db, (o, t) =>
      o.insert(t.accounts).values([
        {
          id: A.acme.id,
          publicKey: A.acme.publicKey,
          organization: 'Acme Gardening GmbH',
          contactName: 'Olivia Owner',
          contactEmail: 'olivia@acme.test',
          phone: '+49 30 1234567',
          imHandle: '@olivia:acme.test',
          region: 'DE',
          preChatForm: false,
          apiKeyHash: sha256(A.acme.apiKey),
          createdAt: days(200),
        },
        {
          id: A.globex.id,
          publicKey: A.globex.publicKey,
          organization: 'Globex Inc.',
          contactName: 'Gina Owner',
          contactEmail: 'gina@globex.test',
          region: 'US',
          preChatForm: true,
          apiKeyHash: sha256(A.globex.apiKey),
          createdAt: days(120),
        },
        {
          id: A.initech.id,
          publicKey: A.initech.publicKey,
          organization: 'Initech Pte. Ltd.',
          contactName: 'Ian Owner',
          contactEmail: 'ian@initech.test',
          region: 'SG',
          preChatForm: false,
          apiKeyHash: sha256(A.initech.apiKey),
          createdAt: days(60),
        },
      ]),
    );
    await write(db, (o, t) =>
      o.insert(t.paymentCards).values({
        accountId: A.acme.id,
        processorToken: 'tok_visa_acme',
        brand: 'visa',
        last4: '4242',
        expMonth: 12,
        expYear: 2029,
        updatedAt: days(200),
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.marketingPreferences).values([
        { accountId: A.acme.id, optedIn: true, source: 'signup', changedAt: days(200) },
        { accountId: A.globex.id, optedIn: false, source: 'signup', changedAt: days(120) },
        { accountId: A.initech.id, optedIn: true, source: 'signup', changedAt: days(60) },
      ]),
    );
    await write(db, (o, t) =>
      o.insert(t.agents).values([
        {
          id: G.acmeOwner.id,
          accountId: A.acme.id,
          email: G.acmeOwner.email,
          name: G.acmeOwner.name,
          passwordHash: PASSWORD_HASH,
          role: 'owner',
          online: true,
          createdAt: days(200),
        },
        {
          id: G.acmeAgent.id,
          accountId: A.acme.id,
          email: G.acmeAgent.email,
          name: G.acmeAgent.name,
          passwordHash: PASSWORD_HASH,
          role: 'agent',
          online: false,
          createdAt: days(150),
        },
        {
          id: G.globexOwner.id,
          accountId: A.globex.id,
          email: G.globexOwner.email,
          name: G.globexOwner.name,
          passwordHash: PASSWORD_HASH,
          role: 'owner',
          online: false,
          createdAt: days(120),
        },
        {
          id: G.initechOwner.id,
          accountId: A.initech.id,
          email: G.initechOwner.email,
          name: G.initechOwner.name,
          passwordHash: PASSWORD_HASH,
          role: 'owner',
          online: false,
          createdAt: days(60),
        },
      ]),
    );
    await write(db, (o, t) =>
      o
        .insert(t.operatorStaff)
        .values({ ...FIXTURE.staff.operator, passwordHash: PASSWORD_HASH, createdAt: days(300) }),
    );
    await write(db, (o, t) =>
      o.insert(t.visitors).values([
        {
          id: V.anna.id,
          accountId: A.acme.id,
          chatIdHash: hashChatId(V.anna.chatId),
          persistent: true,
          name: V.anna.name,
          email: V.anna.email,
          country: 'DE',
          locale: 'de-DE',
          currentPage: 'https://acme.test/roses',
          createdAt: days(3),
          lastSeenAt: days(2),
        },
        {
          id: V.ben.id,
          accountId: A.acme.id,
          chatIdHash: hashChatId(V.ben.chatId),
          persistent: true,
          country: 'AT',
          locale: 'de-AT',
          currentPage: 'https://acme.test/tulips',
          createdAt: minutes(30),
          lastSeenAt: minutes(1),
        },
        {
          id: V.optedOut.id,
          accountId: A.acme.id,
          chatIdHash: hashChatId(V.optedOut.chatId),
          persistent: true,
          country: 'FR',
          locale: 'fr-FR',
          createdAt: days(10),
          lastSeenAt: days(10),
        },
        {
          id: V.gpc.id,
          accountId: A.acme.id,
          persistent: false,
          createdAt: minutes(5),
          lastSeenAt: minutes(4),
        },
        {
          id: V.gwen.id,
          accountId: A.globex.id,
          chatIdHash: hashChatId(V.gwen.chatId),
          persistent: true,
          name: V.gwen.name,
          email: V.gwen.email,
          country: 'US',
          locale: 'en-US',
          currentPage: 'https://globex.test/pricing',
          createdAt: minutes(10),
          lastSeenAt: minutes(9),
        },
      ]),
    );
    await write(db, (o, t) =>
      o.insert(t.conversations).values([
        {
          id: C.annaClosed,
          accountId: A.acme.id,
          visitorId: V.anna.id,
          status: 'closed',
          agentId: G.acmeOwner.id,
          startedAt: days(3),
          firstResponseAt: days(3) + 45_000,
          closedAt: days(3) + 600_000,
          rating: 5,
          ratingComment: 'Very helpful, thank you',
        },
        {
          id: C.benActive,
          accountId: A.acme.id,
          visitorId: V.ben.id,
          status: 'active',
          agentId: G.acmeOwner.id,
          startedAt: minutes(30),
          firstResponseAt: minutes(29),
        },
        {
          id: C.gpcWaiting,
          accountId: A.acme.id,
          visitorId: V.gpc.id,
          status: 'waiting',
          startedAt: minutes(5),
        },
        {
          id: C.gwenWaiting,
          accountId: A.globex.id,
          visitorId: V.gwen.id,
          status: 'waiting',
          startedAt: minutes(10),
        },
      ]),
    );
    const message = (
      id: string,
      conversationId: string,
      visitorId: string,
      accountId: string,
      author: 'visitor' | 'agent',
      body: string,
      at: number,
      agentId?: string,
    ) => ({
      id,
      conversationId,
      visitorId,
      accountId,
      author,
      agentId: agentId ?? null,
      body,
      clientKey: `key_${id}`,
      createdAt: at,
    });
    await write(db, (o, t) =>
      o
        .insert(t.messages)
        .values([
          message(
            'msg_anna_1',
            C.annaClosed,
            V.anna.id,
            A.acme.id,
            'visitor',
            'Do you ship roses to Austria?',
            days(3),
          ),
          message(
            'msg_anna_2',
            C.annaClosed,
            V.anna.id,
            A.acme.id,
            'agent',
            'We do, within three days.',
            days(3) + 45_000,
            G.acmeOwner.id,
          ),
          message(
            'msg_anna_3',
            C.annaClosed,
            V.anna.id,
            A.acme.id,
            'visitor',
            'Wonderful, thanks!',
            days(3) + 90_000,
          ),
          message(
            FIXTURE.files.annaPhoto.messageId,
            C.annaClosed,
            V.anna.id,
            A.acme.id,
            'visitor',
            FIXTURE.files.annaPhoto.name,
            days(3) + 120_000,
          ),
          message(
            'msg_ben_1',
            C.benActive,
            V.ben.id,
            A.acme.id,
            'visitor',
            'Are your tulip bulbs organic?',
            minutes(30),
          ),
          message(
            'msg_ben_2',
            C.benActive,
            V.ben.id,
            A.acme.id,
            'agent',
            'Yes, all of them.',
            minutes(29),
            G.acmeOwner.id,
          ),
          message(
            'msg_gpc_1',
            C.gpcWaiting,
            V.gpc.id,
            A.acme.id,
            'visitor',
            'Hello, anyone there?',
            minutes(5),
          ),
          message(
            'msg_gwen_1',
            C.gwenWaiting,
            V.gwen.id,
            A.globex.id,
            'visitor',
            'I would like a quote for 40 seats.',
            minutes(10),
          ),
        ]),
    );
    const photo = FIXTURE.files.annaPhoto;
    const png = Buffer.from(photo.png, 'base64');
    await write(db, (o, t) =>
      o.insert(t.files).values({
        id: photo.id,
        messageId: photo.messageId,
        conversationId: C.annaClosed,
        accountId: A.acme.id,
        visitorId: V.anna.id,
        author: 'visitor',
        name: photo.name,
        contentType: 'image/png',
        size: png.length,
        width: 2,
        height: 2,
        createdAt: days(3) + 120_000,
        thumbnail: Buffer.from(photo.thumbnail, 'base64'),
        bytes: png,
      }),
    );
    // The pages Anna opened during her chat, on a website that showed them.
    await write(db, (o, t) =>
      o.insert(t.pageVisits).values([
        {
          id: 'pgv_anna_roses',
          conversationId: C.annaClosed,
          accountId: A.acme.id,
          visitorId: V.anna.id,
          path: '/roses',
          at: days(3) + 10_000,
        },
        {
          id: 'pgv_anna_shipping',
          conversationId: C.annaClosed,
          accountId: A.acme.id,
          visitorId: V.anna.id,
          path: '/shipping/austria',
          at: days(3) + 60_000,
        },
      ]),
    );
    // An internal note the owner kept on Anna's chat: agents only, but data about Anna.
    await write(db, (o, t) =>
      o.insert(t.notes).values({
        id: 'not_anna',
        conversationId: C.annaClosed,
        accountId: A.acme.id,
        visitorId: V.anna.id,
        agentId: G.acmeOwner.id,
        body: 'Regular customer, ships to Vienna.',
        createdAt: days(3) + 60_000,
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.offlineMessages).values({
        id: 'off_anna',
        accountId: A.acme.id,
        visitorId: V.anna.id,
        name: V.anna.name,
        email: V.anna.email,
        body: 'Please call me back about the rose order.',
        clientKey: 'key_off_anna',
        createdAt: days(2),
      }),
    );
    // The owner's answer to it, mailed to Anna: data about her too.
    await write(db, (o, t) =>
      o.insert(t.offlineReplies).values({
        id: 'ofr_anna',
        accountId: A.acme.id,
        offlineMessageId: 'off_anna',
        visitorId: V.anna.id,
        agentId: G.acmeOwner.id,
        email: V.anna.email,
        body: 'We will call you this afternoon.',
        createdAt: days(2) + 60_000,
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.consentRecords).values([
        {
          id: 'cns_optout',
          accountId: A.acme.id,
          visitorId: V.optedOut.id,
          scope: 'widget',
          choice: 'opt_out',
          policyVersion: '1.2.0',
          textHash: sha256('fixture opt-out text'),
          createdAt: days(10),
        },
        {
          id: 'cns_anna_widget',
          accountId: A.acme.id,
          visitorId: V.anna.id,
          scope: 'widget',
          choice: 'consent',
          policyVersion: '1.2.0',
          textHash: sha256('fixture transcript consent text'),
          createdAt: days(2),
        },
        {
          id: 'cns_acme_marketing',
          accountId: A.acme.id,
          agentId: G.acmeOwner.id,
          scope: 'marketing',
          choice: 'consent',
          policyVersion: '1.2.0',
          textHash: sha256('fixture marketing text'),
          createdAt: days(200),
        },
      ]),
    );
    await write(db, (o, t) =>
      o.insert(t.dataSubjectRequests).values([
        {
          id: FIXTURE.requests.benErasure,
          accountId: A.acme.id,
          visitorId: V.ben.id,
          kind: 'erasure',
          receivedAt: days(1),
          deadlineAt: days(1) + 30 * 86_400_000,
        },
        {
          id: FIXTURE.requests.annaAccess,
          accountId: A.acme.id,
          visitorId: V.anna.id,
          kind: 'access',
          receivedAt: days(40),
          deadlineAt: days(10),
        },
      ]),
    );
    await write(db, (o, t) =>
      o.insert(t.accessLog).values([
        {
          at: days(2),
          method: 'GET',
          route: '/ws/visitor',
          status: 101,
          durationMs: 3,
          ipTruncated: '203.0.113.0',
          browser: 'Firefox 132',
          language: 'de-DE',
          visitorId: V.anna.id,
        },
        {
          at: minutes(30),
          method: 'GET',
          route: '/ws/visitor',
          status: 101,
          durationMs: 2,
          ipTruncated: '2001:db8:1::',
          browser: 'Chrome 141',
          language: 'de-AT',
          visitorId: V.ben.id,
        },
        {
          at: minutes(20),
          method: 'POST',
          route: '/app/api/sign-in',
          status: 200,
          durationMs: 31,
          ipTruncated: '198.51.100.0',
          browser: 'Safari 18',
          language: 'en-GB',
        },
      ]),
    );
    // A block Anna's chat ran into weeks ago, ended since: erasure and export must find it.
    await write(db, (o, t) =>
      o.insert(t.visitorBlocks).values({
        id: 'blk_anna',
        accountId: A.acme.id,
        visitorId: V.anna.id,
        chatIdHash: hashChatId(V.anna.chatId),
        network: '203.0.113.0/24',
        reason: 'Insults',
        blockedBy: G.acmeOwner.id,
        createdAt: days(20),
        expiresAt: days(19),
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.noticeOutbox).values({
        id: 'out_anna_transcript',
        kind: 'transcript',
        accountId: A.acme.id,
        visitorId: V.anna.id,
        toEmail: V.anna.email,
        subject: 'Your chat with Acme Gardening GmbH',
        body: 'Do you ship roses to Austria?\nWe do, within three days.',
        headers: {},
        createdAt: days(2),
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.auditLog).values({
        actorKind: 'agent',
        actorId: G.acmeOwner.id,
        accountId: A.acme.id,
        action: 'conversation.closed',
        detail: { conversationId: C.annaClosed },
        createdAt: days(3),
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.tags).values({
        id: FIXTURE.tags.acmeRoses,
        accountId: A.acme.id,
        name: 'Roses',
        nameKey: 'roses',
        color: '#c0392b',
        createdAt: days(100),
      }),
    );
    await write(db, (o, t) =>
      o.insert(t.conversationTags).values({
        conversationId: C.annaClosed,
        tagId: FIXTURE.tags.acmeRoses,
        accountId: A.acme.id,
        visitorId: V.anna.id,
        createdAt: days(3) + 600_000,
      }),
    );
  });
}
