import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebsite, defaultWebsiteSettings, type Website, type WebsiteSettings } from '@parley/db';
import { FIXTURE, readRow, readRows } from '@parley/db/testing';
import { ManualClock } from '@parley/live/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { SETTINGS_MARKER, websiteLauncherPath } from '@parley/widget';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, startTestServer, type TestServer, TestSocket } from '../testing/test-app.ts';

const ACME = FIXTURE.accounts.acme;
// Monday 7 December 2026, 10:00 in Berlin.
const MONDAY_MORNING = Date.UTC(2026, 11, 7, 9, 0);

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: { widget?: string } = {}): Promise<TestServer> {
  let widget: string | null = null;
  if (options.widget !== undefined) {
    widget = mkdtempSync(join(tmpdir(), 'parley-widget-'));
    writeFileSync(join(widget, 'widget.js'), options.widget);
    const folder = widget;
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  }
  const started = await startTestServer({ clock: new ManualClock(MONDAY_MORNING), assets: { widget } });
  cleanups.push(() => started.close());
  return started;
}

const website = (s: TestServer, settings: Partial<WebsiteSettings> = {}): Promise<Website> =>
  createWebsite(s.db, ACME.id, { ...defaultWebsiteSettings('Shop'), ...settings });

interface Welcome {
  agentsOnline: boolean;
  preChatForm: boolean;
  settings?: unknown;
}

function visitorOf(s: TestServer, key: string, origin?: string): TestSocket {
  const socket = new TestSocket(`${s.wsUrl}/ws/visitor?account=${key}`, origin ? { origin } : {});
  cleanups.push(() => socket.close());
  return socket;
}

async function welcomeOf(socket: TestSocket): Promise<Welcome> {
  socket.send({ type: 'hello', persistent: true, page: 'https://shop.acme.test/' });
  return socket.next<Welcome>('welcome');
}

describe("a website's visitor socket", () => {
  it("welcomes visitors with the website's settings", async () => {
    const s = await server();
    const shop = await website(s, {
      greeting: 'Willkommen im Shop!',
      preChatName: 'required',
      preChatEmail: 'optional',
      transcripts: false,
      ratings: false,
    });
    expect(await welcomeOf(visitorOf(s, shop.publicKey))).toMatchObject({
      preChatForm: true,
      settings: {
        greeting: 'Willkommen im Shop!',
        preChat: { name: 'required', email: 'optional' },
        transcripts: false,
        ratings: false,
      },
    });
    // The account's own key names its first website.
    expect(await welcomeOf(visitorOf(s, ACME.publicKey))).toMatchObject({
      settings: { greeting: 'Willkommen im Shop!' },
    });
    // An account without a stored website has the defaults and its own pre-chat choice (Globex asks).
    expect(await welcomeOf(visitorOf(s, FIXTURE.accounts.globex.publicKey))).toMatchObject({
      preChatForm: true,
      settings: {
        greeting: null,
        preChat: { name: 'optional', email: 'required' },
        transcripts: true,
        ratings: true,
      },
    });
  });

  it('refuses the handshake from an origin the website does not list, once it lists any', async () => {
    const s = await server();
    const listed = await website(s, { origins: ['https://shop.acme.test'] });
    const open = await website(s, { name: 'Blog' });
    const refused = visitorOf(s, listed.publicKey, 'https://evil.example');
    expect(await refused.closed).toEqual({ code: CLOSE_CODES.policy, reason: 'origin not allowed' });
    const noOrigin = visitorOf(s, listed.publicKey);
    expect(await noOrigin.closed).toEqual({ code: CLOSE_CODES.policy, reason: 'origin not allowed' });
    await welcomeOf(visitorOf(s, listed.publicKey, 'https://shop.acme.test'));
    // Parley's own pages (the dashboard's preview) may open it too.
    await welcomeOf(visitorOf(s, listed.publicKey, s.running.url));
    await welcomeOf(visitorOf(s, open.publicKey, 'https://anywhere.example'));
  });

  it('offers no agent outside the working hours, and visitors see agents by initials where the website says so', async () => {
    const s = await server();
    const olivia = await connectAgent(s, FIXTURE.agents.acmeOwner.email);
    cleanups.push(() => olivia.socket.close());
    const closedToday = await website(s, {
      hours: { timeZone: 'Europe/Berlin', days: { tue: { open: '09:00', close: '17:00' } } },
    });
    expect((await welcomeOf(visitorOf(s, closedToday.publicKey))).agentsOnline).toBe(false);
    const openNow = await website(s, {
      name: 'Open',
      agentDisplay: 'initials',
      hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:00' } } },
    });
    const visitor = visitorOf(s, openNow.publicKey);
    expect((await welcomeOf(visitor)).agentsOnline).toBe(true);

    visitor.send({ type: 'send', key: 'key_question_01', text: 'Do you ship to Austria?' });
    const { conversation } = await olivia.socket.next<{ conversation: { id: string; website?: string } }>(
      'conversation',
    );
    expect(conversation.website).toBe('Open');
    expect((await readRow(s.db, 'conversations', { id: conversation.id })).websiteId).toBe(openNow.id);
    olivia.socket.send({
      type: 'send',
      key: 'key_answer_0001',
      conversationId: conversation.id,
      text: 'Yes.',
    });
    const answer = await visitor.next<{ message: { authorName?: string } }>(
      'message',
      (frame) => (frame.message as { author: string }).author === 'agent',
    );
    expect(answer.message.authorName).toBe('O');
    expect(await visitor.next('conversation', (frame) => frame.status === 'active')).toMatchObject({
      agentName: 'O',
    });
    // The mailed transcript names the agent as the chat did.
    visitor.send({ type: 'transcript', email: 'visitor@example.org' });
    await visitor.next('done', (frame) => frame.what === 'transcript');
    const [mail] = await readRows(s.db, 'noticeOutbox', {
      kind: 'transcript',
      toEmail: 'visitor@example.org',
    });
    expect(mail?.body).toContain('] O: Yes.');
    expect(mail?.body).not.toContain('Olivia');
    // And the chat's end says who ended it the same way.
    olivia.socket.send({ type: 'close', conversationId: conversation.id });
    expect(await visitor.next('conversation', (frame) => frame.status === 'closed')).toMatchObject({
      closedBy: { by: 'agent', name: 'O' },
    });
  });

  it('tells a visitor whose widget is open when the website opens and closes', async () => {
    // Monday 08:59 in Berlin, for a website open from 09:00 to 09:02.
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 7, 59));
    const started = await startTestServer({ clock });
    cleanups.push(() => started.close());
    const olivia = await connectAgent(started, FIXTURE.agents.acmeOwner.email);
    cleanups.push(() => olivia.socket.close());
    const shop = await createWebsite(started.db, ACME.id, {
      ...defaultWebsiteSettings('Shop'),
      hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '09:02' } } },
    });
    const visitor = visitorOf(started, shop.publicKey);
    expect((await welcomeOf(visitor)).agentsOnline).toBe(false);
    clock.advance(60_000);
    expect(await visitor.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    clock.advance(2 * 60_000);
    expect(await visitor.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
  });

  it('refuses a transcript or a rating where the website does not offer them', async () => {
    const s = await server();
    const plain = await website(s, { transcripts: false, ratings: false });
    const visitor = visitorOf(s, plain.publicKey);
    await welcomeOf(visitor);
    visitor.send({ type: 'transcript', email: 'anna@example.com' });
    expect(await visitor.next('error')).toMatchObject({ code: 'forbidden' });
    visitor.send({ type: 'rate', rating: 5 });
    expect(await visitor.next('error')).toMatchObject({ code: 'forbidden' });
  });
});

describe("a website's launcher", () => {
  const bundle = `(()=>{const settings=JSON.parse('${SETTINGS_MARKER}');window.launcherSettings=settings})();`;

  it('is the launcher bundle with the website settings written in, cached as /widget.js is', async () => {
    const s = await server({ widget: bundle });
    const shop = await website(s, {
      color: '#aa3300',
      position: 'left',
      launcherLabel: 'Chat',
      languages: ['de'],
    });
    const response = await s.request(websiteLauncherPath(shop.publicKey));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const text = await response.text();
    const literal = /JSON\.parse\('(.*)'\)/.exec(text)?.[1] ?? '';
    expect(JSON.parse(JSON.parse(`"${literal}"`))).toEqual({
      key: shop.publicKey,
      color: '#aa3300',
      position: 'left',
      label: 'Chat',
      languages: ['de'],
      onColor: '#fff',
    });
    const again = await s.request(websiteLauncherPath(shop.publicKey), {
      headers: { 'if-none-match': response.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('carries a proactive greeting with its paths as one pattern, which matches only the pages listed', async () => {
    const s = await server({ widget: bundle });
    const shop = await website(s, {
      color: '#f5d90a',
      proactiveGreeting: { text: 'Fragen zum Tee?', after: 20, paths: ['/tee/*', '/preise', '/a.b'] },
    });
    const text = await (await s.request(websiteLauncherPath(shop.publicKey))).text();
    const literal = /JSON\.parse\('(.*)'\)/.exec(text)?.[1] ?? '';
    const settings = JSON.parse(JSON.parse(`"${literal}"`)) as {
      onColor: string;
      greet: { path: string; after: number; text: string };
    };
    expect(settings.onColor).toBe('#111111');
    expect(settings.greet).toMatchObject({ after: 20, text: 'Fragen zum Tee?' });
    const path = new RegExp(settings.greet.path);
    for (const page of ['/tee/gruen', '/tee/', '/preise', '/preise/', '/a.b'])
      expect(path.test(page), page).toBe(true);
    for (const page of ['/', '/tee', '/preise/alt', '/kaffee/tee/x', '/axb', '/preisex'])
      expect(path.test(page), page).toBe(false);
  });

  it('answers an unknown key with a JavaScript comment, and a preview draws draft settings', async () => {
    const s = await server({ widget: bundle });
    const unknown = await s.request(websiteLauncherPath('pk_nobody'));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await unknown.text()).toMatch(/^\/\*.*\*\/\n$/);

    const shop = await website(s);
    const draft = await s.request(`${websiteLauncherPath(shop.publicKey)}?color=%2300AA00&position=sideways`);
    expect(draft.headers.get('cache-control')).toBe('no-cache');
    expect(await draft.text()).toContain('\\"color\\":\\"#00aa00\\",\\"position\\":\\"right\\"');
    // A draft label cannot end the script it is written into.
    const hostile = await s.request(
      `${websiteLauncherPath(shop.publicKey)}?label=${encodeURIComponent("'</script><script>alert(1)</script>")}`,
    );
    const hostileText = await hostile.text();
    expect(hostileText).not.toContain('</script>');
    expect(hostileText).not.toContain("'<");
    const preview = await s.request(`/w/${shop.publicKey}/preview?color=%2300aa00&greeting=x`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    const previewText = await preview.text();
    expect(previewText).toContain(`src="/w/${shop.publicKey}/widget.js?color=%2300aa00"`);
    expect(previewText).toContain('<html lang="en">');
    // The page's own words follow the dashboard's language; the dashboard's language is not passed to the widget.
    const german = await (await s.request(`/w/${shop.publicKey}/preview?color=%2300aa00&lang=de`)).text();
    expect(german).toContain('<html lang="de">');
    expect(german).toContain('<title>Vorschau des Widgets</title>');
    expect(german).toContain(`src="/w/${shop.publicKey}/widget.js?color=%2300aa00"`);
    const unknownLanguage = await (await s.request(`/w/${shop.publicKey}/preview?lang=xx`)).text();
    expect(unknownLanguage).toContain('<title>Widget preview</title>');
  });

  it('answers with a JavaScript comment, not a broken script, when the built launcher lacks the settings marker', async () => {
    const s = await server({ widget: 'console.log("a launcher from before websites");' });
    const shop = await website(s);
    const response = await s.request(websiteLauncherPath(shop.publicKey));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(await response.text()).toMatch(/^\/\* Parley: .* \*\/\n$/);
  });
});
