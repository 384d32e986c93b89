import { randomBytes } from 'node:crypto';
import { createWebsite, defaultWebsiteSettings, hashChatId } from '@parley/db';
import { countRows, FIXTURE, insertRows, readRows } from '@parley/db/testing';
import { ManualClock } from '@parley/live/testing';
import type { ChatMessage } from '@parley/protocol';
import { fileUploadPath } from '@parley/widget';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ephemeralSecrets } from '../auth/secrets.ts';
import { type BusMessage, topics } from '../delivery/bus.ts';
import { PHOTO_SERIAL, phonePhoto } from '../testing/phone-photo.ts';
import { createTestApp, ORIGIN, signIn, type TestApp, writeHeaders } from '../testing/test-app.ts';
import { UPLOAD_TOKEN_MS, uploadToken } from './upload-token.ts';

const acme = FIXTURE.accounts.acme;
const ben = FIXTURE.visitors.ben;
const { benActive, annaClosed, gwenWaiting } = FIXTURE.conversations;
const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;
const SHOP = 'https://shop.example';

const smallPhoto = () => phonePhoto({ width: 60, height: 40 }, '#3a7');
const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#c0392b' } })
    .png()
    .toBuffer();
/** The start of a PDF: what Parley checks a PDF by. */
const pdf = (text = 'invoice') => Buffer.from(`%PDF-1.4\n% ${text}\n${'x'.repeat(500)}\n%%EOF\n`);

interface Setup {
  app: TestApp;
  clock: ManualClock;
  /** A token for Ben's open conversation, as his widget's socket would give it. */
  token: (grant?: { key?: string; conversationId?: string; expiresAt?: number }) => string;
}

async function setup(config: Parameters<typeof createTestApp>[0] = {}): Promise<Setup> {
  const secrets = ephemeralSecrets();
  const clock = new ManualClock();
  const app = await createTestApp({ secrets, clock, ...config });
  const token = (grant: { key?: string; conversationId?: string; expiresAt?: number } = {}) =>
    uploadToken(secrets.fileKey, {
      accountId: acme.id,
      conversationId: grant.conversationId ?? benActive,
      visitorId: ben.id,
      widgetKey: grant.key ?? acme.publicKey,
      expiresAt: grant.expiresAt ?? clock.now() + UPLOAD_TOKEN_MS,
    });
  return { app, clock, token };
}

/** The visitor's widget POSTs `body` as the file named `name`. */
function upload(
  { app, token }: Setup,
  body: Buffer,
  options: { name?: string; key?: string; token?: string | null; origin?: string; clientKey?: string } = {},
) {
  const headers: Record<string, string> = {
    origin: options.origin ?? SHOP,
    'content-type': 'application/octet-stream',
    'x-parley-name': encodeURIComponent(options.name ?? 'photo.jpg'),
    'x-parley-key': options.clientKey ?? `key_${randomBytes(6).toString('hex')}`,
  };
  const given = options.token === undefined ? token({ key: options.key ?? acme.publicKey }) : options.token;
  if (given !== null) headers.authorization = `Bearer ${given}`;
  return app.request(fileUploadPath(options.key ?? acme.publicKey), {
    method: 'POST',
    headers,
    body: new Uint8Array(body),
  });
}

const messageOf = async (response: Response) => ((await response.json()) as { message: ChatMessage }).message;
const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;
const fetchFile = (app: TestApp, url: string) => app.request(url);

/** What the bus carries to Acme's agents and to Ben's sockets while `act` runs. */
async function heardDuring(app: TestApp, act: () => Promise<unknown>) {
  const agents: BusMessage[] = [];
  const visitor: BusMessage[] = [];
  const { bus } = app.parley.services;
  const stops = [
    await bus.subscribe(topics.agents(acme.id), (message) => agents.push(message)),
    await bus.subscribe(topics.chat(acme.id, hashChatId(ben.chatId)), (message) => visitor.push(message)),
  ];
  await act();
  for (const stop of stops) stop();
  const messages = (list: BusMessage[]) =>
    list.flatMap((m) => (m.kind === 'frame' && m.frame.type === 'message' ? [m.frame.message] : []));
  return { agents: messages(agents), visitor: messages(visitor) };
}

describe("a visitor's file", () => {
  it('comes out of a photo without its GPS position or camera serial, upright, with a thumbnail, and reaches agents and the visitor', async () => {
    const s = await setup();
    const photo = await smallPhoto();
    const before = await sharp(photo).metadata();
    expect(before.exif).toBeDefined();
    expect(photo.includes(PHOTO_SERIAL)).toBe(true);
    let response: Response | undefined;
    const heard = await heardDuring(s.app, async () => {
      response = await upload(s, photo, { name: 'IMG_2041.JPG' });
    });
    expect(response?.status).toBe(201);
    const message = await messageOf(response!);
    expect(message).toMatchObject({
      conversationId: benActive,
      author: 'visitor',
      text: 'IMG_2041.JPG',
      file: { name: 'IMG_2041.JPG', type: 'image/jpeg', width: 40, height: 60 },
    });
    expect(heard.agents).toEqual([message]);
    expect(heard.visitor).toEqual([message]);

    const served = await fetchFile(s.app, message.file!.url);
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.length).toBe(message.file!.size);
    const after = await sharp(bytes).metadata();
    expect(after).toMatchObject({ format: 'jpeg', width: 40, height: 60 });
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(bytes.includes(PHOTO_SERIAL)).toBe(false);
    expect(bytes.includes('Parley Cam')).toBe(false);

    const thumbnail = await fetchFile(s.app, message.file!.thumbUrl!);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 40,
      height: 60,
    });
  });

  it('is of the kind its bytes say, whatever its name or declared type, and its name ends as that kind does', async () => {
    const s = await setup();
    const response = await upload(s, await png(), { name: '../../etc/cat.pdf' });
    expect(response.status).toBe(201);
    expect((await messageOf(response)).file).toMatchObject({ name: 'cat.pdf.png', type: 'image/png' });
    // A right-to-left override would show `gnp.exe` as `exe.png`.
    const rtl = await upload(s, await png(), { name: 'photo\u202Egnp.exe' });
    expect((await messageOf(rtl)).file?.name).toBe('photognp.exe.png');
  });

  it('refuses what the website does not take, what is not a file Parley takes, an empty and a damaged one, each saying why, and stores nothing', async () => {
    const s = await setup();
    const refused = async (body: Buffer, name: string) => {
      const response = await upload(s, body, { name });
      return { status: response.status, code: await codeOf(response) };
    };
    expect(await refused(Buffer.from('<html><script>alert(1)</script>\u0000'), 'pic.png')).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    // Plain text is a kind Parley takes, but a website takes only images and PDF until its owner says otherwise.
    expect(await refused(Buffer.from('Order 1234: two roses'), 'notes.txt')).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect(await refused(Buffer.alloc(0), 'empty.pdf')).toEqual({ status: 422, code: 'invalid_input' });
    const damaged = Buffer.concat([(await png()).subarray(0, 40), randomBytes(200)]);
    expect(await refused(damaged, 'broken.png')).toEqual({ status: 422, code: 'invalid_input' });
    expect(await countRows(s.app.db, 'messages', { conversationId: benActive })).toBe(2);
    expect(await countRows(s.app.db, 'files', { conversationId: benActive })).toBe(0);
  });

  it('is refused in German to a German browser', async () => {
    const s = await setup();
    const response = await s.app.request(fileUploadPath(acme.publicKey), {
      method: 'POST',
      headers: {
        origin: SHOP,
        'accept-language': 'de-DE',
        authorization: `Bearer ${s.token()}`,
        'x-parley-key': 'key_german_text',
      },
      body: 'just text',
    });
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'Dieser Chat nimmt diese Art von Datei nicht an.',
    );
  });

  it('takes plain text on a website whose owner allows it, and refuses PDF on one that takes images only', async () => {
    const s = await setup();
    const texts = await createWebsite(s.app.db, acme.id, {
      ...defaultWebsiteSettings('Docs'),
      fileKinds: ['text'],
    });
    const text = await upload(s, Buffer.from('Order 1234: two roses, one tulip\n'), {
      name: 'order.txt',
      key: texts.publicKey,
    });
    expect(text.status).toBe(201);
    expect((await messageOf(text)).file?.type).toBe('text/plain; charset=utf-8');
    expect((await upload(s, pdf(), { name: 'a.pdf', key: texts.publicKey })).status).toBe(415);
  });

  it('is refused when larger than the installation allows, before it is stored', async () => {
    const s = await setup({ config: { fileMaxBytes: 2_000 } });
    const response = await upload(s, Buffer.concat([pdf(), randomBytes(2_000)]), { name: 'big.pdf' });
    expect(response.status).toBe(413);
    expect(await codeOf(response)).toBe('payload_too_large');
    expect(await countRows(s.app.db, 'files', { conversationId: benActive })).toBe(0);
  });

  it("is refused when the account's quota has no room, and the chat goes on", async () => {
    const photoSize = Buffer.from(FIXTURE.files.annaPhoto.png, 'base64').length;
    const s = await setup({ config: { fileQuotaBytes: photoSize + 1_000 } });
    const response = await upload(s, pdf(), { name: 'a.pdf' });
    expect(response.status).toBe(201);
    const full = await upload(s, pdf('second'), { name: 'b.pdf' });
    expect(full.status).toBe(413);
    expect(await codeOf(full)).toBe('quota_exceeded');
    expect(await countRows(s.app.db, 'files', { conversationId: benActive })).toBe(1);
    expect(await countRows(s.app.db, 'messages', { conversationId: benActive })).toBe(3);
  });

  it('is stored once when sent again with the same key, and answered with the same message', async () => {
    const s = await setup();
    const first = await upload(s, pdf(), { name: 'a.pdf', clientKey: 'key_same_file' });
    const again = await upload(s, pdf(), { name: 'a.pdf', clientKey: 'key_same_file' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect((await messageOf(again)).id).toBe((await messageOf(first)).id);
    expect(await countRows(s.app.db, 'files', { conversationId: benActive })).toBe(1);
  });

  it('needs a valid, unexpired token for this website and conversation, and a conversation still open', async () => {
    const s = await setup();
    const other = await createWebsite(s.app.db, acme.id, defaultWebsiteSettings('Other'));
    const status = async (options: Parameters<typeof upload>[2]) =>
      (await upload(s, pdf(), { name: 'a.pdf', ...options })).status;
    expect(await status({ token: null })).toBe(401);
    expect(await status({ token: `${s.token().slice(0, -2)}xx` })).toBe(401);
    expect(await status({ token: s.token({ expiresAt: s.clock.now() - 1 }) })).toBe(401);
    // A token for one website's address does not open another's.
    expect(await status({ token: s.token(), key: other.publicKey })).toBe(401);
    const closed = await upload(s, pdf(), { token: s.token({ conversationId: annaClosed }) });
    expect(closed.status).toBe(409);
    expect(await codeOf(closed)).toBe('conversation_closed');
    // Another account's conversation, under Acme's own signature: the store finds no such conversation.
    expect(await status({ token: s.token({ conversationId: gwenWaiting }) })).toBe(404);
    const given = s.token();
    s.clock.advance(UPLOAD_TOKEN_MS + 1);
    expect(await status({ token: given })).toBe(401);
    expect(await countRows(s.app.db, 'files')).toBe(1);
  });

  it("comes only from the website's origins, which alone may read the answer or be told yes before", async () => {
    const s = await setup();
    const shop = await createWebsite(s.app.db, acme.id, {
      ...defaultWebsiteSettings('Shop'),
      origins: [SHOP],
    });
    const from = (origin: string) => upload(s, pdf(), { name: 'a.pdf', key: shop.publicKey, origin });
    const allowed = await from(SHOP);
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    const elsewhere = await from('https://evil.example');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // An error the widget must show is readable by it too.
    const refused = await upload(s, Buffer.alloc(0), { key: shop.publicKey, origin: SHOP });
    expect(refused.headers.get('access-control-allow-origin')).toBe(SHOP);

    const preflight = (origin: string) =>
      s.app.request(fileUploadPath(shop.publicKey), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, x-parley-name, x-parley-key',
        },
      });
    const yes = await preflight(SHOP);
    expect(yes.status).toBe(204);
    expect(yes.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(yes.headers.get('access-control-allow-headers')).toContain('x-parley-key');
    const no = await preflight('https://evil.example');
    expect(no.status).toBe(403);
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is refused while the operator has suspended the account', async () => {
    const s = await setup();
    await insertRows(s.app.db, 'accountSuspensions', [
      { accountId: acme.id, reason: 'unpaid', suspendedAt: s.clock.now() },
    ]);
    const response = await upload(s, pdf(), { name: 'a.pdf' });
    expect(response.status).toBe(403);
    expect(await countRows(s.app.db, 'files', { conversationId: benActive })).toBe(0);
  });

  it('SEC-1: a visitor may send ten files a minute, then waits', async () => {
    const s = await setup();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await upload(s, pdf(`n${i}`), { name: `${i}.pdf` })).status);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    expect(await countRows(s.app.db, 'files', { conversationId: benActive })).toBe(10);
  });
});

describe('serving a file', () => {
  it('sends the bytes as their type, never sniffed, sandboxed, a document as a download under a safe name, cached privately', async () => {
    const s = await setup();
    const message = await messageOf(await upload(s, pdf(), { name: 'Rechnung "März" ü.pdf' }));
    const response = await fetchFile(s.app, message.file!.url);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition':
        'attachment; filename="Rechnung _M_rz_ _.pdf"; filename*=UTF-8\'\'Rechnung%20%22M%C3%A4rz%22%20%C3%BC.pdf',
      'cross-origin-resource-policy': 'cross-origin',
    });
    expect(response.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdf());
    const image = await messageOf(await upload(s, await png(), { name: 'red.png' }));
    const shown = await fetchFile(s.app, image.file!.url);
    expect(shown.headers.get('content-disposition')).toMatch(/^inline; filename="red.png"/);
  });

  it('answers a forged, altered or expired link as it answers a file that does not exist', async () => {
    const s = await setup();
    const message = await messageOf(await upload(s, pdf(), { name: 'a.pdf' }));
    const url = message.file!.url;
    const missing = await fetchFile(s.app, url.replace(/\/files\/[^/]+\//, '/files/fil_nothere/'));
    const forged = await fetchFile(
      s.app,
      url.replace(/s=[^&]+/, 's=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    );
    const longer = await fetchFile(
      s.app,
      url.replace(/e=(\d+)/, (_, e: string) => `e=${Number(e) + 3600}`),
    );
    const otherVariant = await fetchFile(s.app, url.replace('/file?', '/thumbnail?'));
    const bodies = await Promise.all([missing, forged, longer, otherVariant].map((r) => r.text()));
    expect([missing, forged, longer, otherVariant].map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
    expect((await fetchFile(s.app, url)).status).toBe(200);
    s.clock.advance(2 * 60 * 60 * 1000 + 1);
    const expired = await fetchFile(s.app, url);
    expect(expired.status).toBe(404);
    expect(await expired.text()).toBe(bodies[0]);
  });

  it('gives every client fresh links when it loads the conversation', async () => {
    const s = await setup();
    const message = await messageOf(await upload(s, pdf(), { name: 'a.pdf' }));
    s.clock.advance(3 * 60 * 60 * 1000);
    expect((await fetchFile(s.app, message.file!.url)).status).toBe(404);
    const session = await signIn(s.app, owner.email);
    const loaded = await s.app.request(`/app/api/conversations/${benActive}`, {
      headers: { cookie: session.cookie, origin: ORIGIN },
    });
    const { messages } = (await loaded.json()) as { messages: ChatMessage[] };
    const again = messages.find((m) => m.id === message.id);
    expect(again?.file?.url).not.toBe(message.file!.url);
    expect((await fetchFile(s.app, again!.file!.url)).status).toBe(200);
  });
});

describe("an agent's file", () => {
  /** An agent's upload from the dashboard, with their session's cookie and CSRF token unless `csrf` is false. */
  async function agentUpload(
    app: TestApp,
    email: string,
    conversationId: string,
    body: Buffer,
    options: { name?: string; csrf?: boolean } = {},
  ) {
    const session = await signIn(app, email);
    const headers = writeHeaders(session, {
      'content-type': 'application/pdf',
      'x-parley-name': encodeURIComponent(options.name ?? 'offer.pdf'),
      'x-parley-key': `key_${randomBytes(6).toString('hex')}`,
    });
    if (options.csrf === false) delete headers['x-parley-csrf'];
    return app.request(`/app/api/conversations/${conversationId}/files`, {
      method: 'POST',
      headers,
      body: new Uint8Array(body),
    });
  }

  it('goes from the reply box to the visitor and the other agents, larger than other requests may be, and takes the chat', async () => {
    const { app } = await setup();
    const big = Buffer.concat([pdf(), randomBytes(200_000)]);
    let response: Response | undefined;
    const heard = await heardDuring(app, async () => {
      response = await agentUpload(app, agent.email, FIXTURE.conversations.gpcWaiting, big);
    });
    expect(response?.status).toBe(201);
    const message = await messageOf(response!);
    expect(message).toMatchObject({
      author: 'agent',
      authorName: agent.name,
      text: 'offer.pdf',
      file: { type: 'application/pdf', size: big.length },
    });
    expect(message.file?.thumbUrl).toBeUndefined();
    expect(heard.agents).toContainEqual(message);
    const [conversation] = await readRows(app.db, 'conversations', { id: FIXTURE.conversations.gpcWaiting });
    expect(conversation).toMatchObject({ status: 'active', agentId: agent.id });
    // Every other request of the dashboard keeps its small limit.
    const session = await signIn(app, owner.email);
    const other = await app.request('/app/api/tags', {
      method: 'POST',
      headers: writeHeaders(session),
      body: JSON.stringify({ name: 'x'.repeat(70_000) }),
    });
    expect(other.status).toBe(413);
  });

  it('reaches the visitor on the bus', async () => {
    const { app } = await setup();
    let response: Response | undefined;
    const heard = await heardDuring(app, async () => {
      response = await agentUpload(app, owner.email, benActive, pdf());
    });
    expect(heard.visitor).toEqual([await messageOf(response!)]);
  });

  it("needs the session's CSRF token, a chat the agent may see, and one that has not ended", async () => {
    const { app } = await setup();
    expect((await agentUpload(app, owner.email, benActive, pdf(), { csrf: false })).status).toBe(403);
    // Ben's chat is the owner's: a plain agent does not see it.
    expect((await agentUpload(app, agent.email, benActive, pdf())).status).toBe(403);
    expect((await agentUpload(app, owner.email, annaClosed, pdf())).status).toBe(409);
    expect((await agentUpload(app, owner.email, 'cnv_nothere', pdf())).status).toBe(404);
    expect(await countRows(app.db, 'files', { author: 'agent' })).toBe(0);
  });
});
