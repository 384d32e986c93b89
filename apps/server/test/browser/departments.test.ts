import { cspViolations, launchChromium } from '@parley/chromium';
import {
  createCannedReply,
  createTag,
  createWebsite,
  defaultWebsiteSettings,
  listWebsites,
} from '@parley/db';
import { listDepartments, setAgentOnline, setWebsiteDepartments } from '@parley/db/chat';
import { FIXTURE, FIXTURE_PASSWORD, readRows } from '@parley/db/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { axeViolations } from './axe.ts';
import { browserPages } from './browser-pages.ts';
import { type CustomerSite, startCustomerSite } from './customer-site.ts';
import { signInThroughForm } from './sign-in-page.ts';

// End to end in Chromium: the owner sets up the departments Sales and Support on the Team page, a visitor on the
// website picks Support in the pre-chat form and is routed to Support's agent, who writes an internal note and
// transfers the chat to Sales with another; Sales' agent sees the chat with both notes, and the visitor reads who
// joined but never a note. Sales' agent then answers with a canned reply, tags the chat, and blocks the visitor after
// they mailed themselves a transcript, which holds the chat and neither note.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;
const ACME = FIXTURE.accounts.acme;
/** Support's agent, and the account's owner who sets the departments up. */
const OLIVIA = { ...FIXTURE.agents.acmeOwner, password: FIXTURE_PASSWORD };
/** Sales' agent. */
const ADAM = { ...FIXTURE.agents.acmeAgent, password: FIXTURE_PASSWORD };
const QUESTION = 'My invoice shows the wrong amount, can you help?';
const FIRST_NOTE = 'Billing question, not a support case';
const TRANSFER_NOTE = 'Over to Sales: they issue corrected invoices';
const TRANSCRIPT_TO = 'visitor@departments.test';
const UNAVAILABLE = 'Chat is not available right now.';

let browser: Browser;
let server: TestServer;
/** Sales' agent and the visitor, who the second test goes on with. */
let adam: Page;
let visitor: Page;
let billingTagId: string;
/** The customer's site: one page with the website's snippet. */
let site: CustomerSite;
const pages = browserPages(() => browser);

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  await createWebsite(server.db, ACME.id, defaultWebsiteSettings('Acme'), { publicKey: ACME.publicKey });
  // The owners' canned reply and tag, there before any dashboard opens.
  await createCannedReply(
    server.db,
    ACME.id,
    {
      shortName: 'invoice',
      body: 'Hello {visitor.name}, I am {agent.name}: a corrected invoice is on its way.',
    },
    { agentId: OLIVIA.id },
  );
  billingTagId = (await createTag(server.db, ACME.id, { name: 'Billing' })).id;
  // Adam starts available, so that routing can give him a chat as soon as his dashboard is open.
  await setAgentOnline(server.db, ACME.id, ADAM.id, true);
  site = await startCustomerSite(
    () => `<!doctype html><html lang="en"><head><title>Acme</title></head><body><h1>Acme</h1>
<script src="${server.running.url}/w/${ACME.publicKey}/widget.js" async></script></body></html>`,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await site?.close();
  await server?.close();
});

/** On the Team page: adds a department and ticks its one agent. */
async function addDepartment(owner: Page, name: string, agentName: string): Promise<void> {
  await owner.getByRole('textbox', { name: 'New department' }).fill(name);
  await owner.getByRole('button', { name: 'Add department' }).click();
  const form = owner.locator(`form.department-form[data-department="${name}"]`);
  await form.waitFor({ state: 'visible' });
  await form.getByRole('checkbox', { name: agentName }).check();
  await form.getByRole('button', { name: 'Save' }).click();
  await owner.getByText(`The department ${name} was saved.`).waitFor({ state: 'visible' });
}

const thread = (conversation: Locator) => conversation.locator('ol.messages');

describe('departments, routing, transfers and internal notes, in Chromium', () => {
  it('routes a visitor’s Support chat to Support’s agent, who notes and transfers it to Sales; the visitor never sees a note', async () => {
    const { page: olivia } = await pages.newPage();
    await signInThroughForm(olivia, server.running.url, OLIVIA);
    await olivia.goto(`${server.running.url}/app#/team`);
    await addDepartment(olivia, 'Sales', ADAM.name);
    await addDepartment(olivia, 'Support', OLIVIA.name);
    expect(await axeViolations(olivia)).toEqual([]);
    const departments = await listDepartments(server.db, ACME.id);
    expect(departments.map((d) => [d.name, d.agentIds])).toEqual([
      ['Sales', [ADAM.id]],
      ['Support', [OLIVIA.id]],
    ]);
    await setWebsiteDepartments(server.db, {
      accountId: ACME.id,
      websiteId: (await listWebsites(server.db, ACME.id))[0]?.id ?? '',
      departmentIds: departments.map((d) => d.id),
    });

    ({ page: adam } = await pages.newPage());
    await signInThroughForm(adam, server.running.url, ADAM);
    await olivia.goto(`${server.running.url}/app#/`);
    await expect.poll(() => server.parley.services.presence.count(ACME.id)).toBe(2);

    // The visitor picks Support in the pre-chat form and writes.
    ({ page: visitor } = await pages.newPage());
    await visitor.goto(`http://localhost:${site.port()}/`, { waitUntil: 'load' });
    const widget = visitor.locator('parley-widget');
    await widget.locator('button.launcher').click();
    await widget.getByLabel('Department').selectOption({ label: 'Support' });
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await visitor.getByLabel('Your message').fill(QUESTION);
    await visitor.getByLabel('Your message').press('Enter');
    await widget.locator('.msg.visitor:not(.pending)').filter({ hasText: QUESTION }).waitFor();
    await widget.getByText(`${OLIVIA.name} joined the chat.`).waitFor({ timeout: 10_000 });

    // Olivia has it, shown with its department; she writes a note, then transfers it to Sales with another.
    await olivia.locator('a.conversation-item').filter({ hasText: QUESTION }).click();
    const hers = olivia.locator('article.conversation');
    await hers.locator('.visitor-details').getByText('Support').waitFor();
    await hers.getByRole('checkbox', { name: 'Note' }).check();
    await hers.getByRole('textbox', { name: 'Reply' }).fill(FIRST_NOTE);
    await hers.getByRole('textbox', { name: 'Reply' }).press('Enter');
    const firstNote = thread(hers).locator('.message-note').filter({ hasText: FIRST_NOTE });
    await firstNote.waitFor();
    expect(await firstNote.locator('.note-label').textContent()).toBe('Internal note');
    await hers.getByRole('button', { name: 'Transfer' }).click();
    const dialog = olivia.getByRole('dialog', { name: 'Transfer this chat' });
    await dialog.getByLabel('Transfer to').selectOption({ label: 'Sales' });
    await dialog.getByLabel('Note for your colleague (optional)').fill(TRANSFER_NOTE);
    expect(await axeViolations(olivia)).toEqual([]);
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Adam, Sales' agent, gets the chat and reads both notes beside the visitor's message.
    await adam.locator('a.conversation-item').filter({ hasText: QUESTION }).click({ timeout: 10_000 });
    const his = adam.locator('article.conversation');
    await thread(his).locator('.message-visitor').filter({ hasText: QUESTION }).waitFor();
    await thread(his).locator('.message-note').filter({ hasText: TRANSFER_NOTE }).waitFor();
    expect(await thread(his).locator('.message-note').allTextContents()).toEqual([
      expect.stringContaining(FIRST_NOTE),
      expect.stringContaining(TRANSFER_NOTE),
    ]);
    expect(await thread(his).locator('.message-note').first().textContent()).toContain(OLIVIA.name);

    // The visitor reads who joined, and nothing of either note.
    await widget.getByText(`${ADAM.name} joined the chat.`).waitFor({ timeout: 10_000 });
    const seen = (await widget.locator('.panel').textContent()) ?? '';
    expect(seen).toContain(QUESTION);
    expect(seen).not.toContain(FIRST_NOTE);
    expect(seen).not.toContain(TRANSFER_NOTE);
    for (const page of [olivia, adam, visitor]) expect(await cspViolations(page)).toEqual([]);
    // Three people in three browsers, one after the other: longer than a test's usual time on a busy machine.
  }, 60_000);

  it('Sales’ agent answers with a canned reply and tags the chat; the transcript leaves the notes out; the visitor is blocked', async () => {
    const answer = `Hello there, I am ${ADAM.name}: a corrected invoice is on its way.`;
    const his = adam.locator('article.conversation');
    // A canned reply, picked with / and its short name, its placeholders filled in.
    const reply = his.getByRole('textbox', { name: 'Reply' });
    await reply.fill('/inv');
    await adam.getByRole('option', { name: /\/invoice/ }).waitFor();
    await reply.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe(answer);
    await reply.press('Enter');
    const widget = visitor.locator('parley-widget');
    await widget.locator('.msg.agent').filter({ hasText: answer }).waitFor({ timeout: 10_000 });

    // Tagged, and found by its tag in the history once closed.
    await his.getByLabel('Tag to add').selectOption({ label: 'Billing' });
    await his.getByRole('button', { name: 'Add tag' }).click();
    await his.locator('.tag-list').getByText('Billing').waitFor();
    expect(await readRows(server.db, 'conversationTags', { tagId: billingTagId })).toHaveLength(1);

    // The visitor mails themselves the transcript: the chat is in it, neither note.
    await widget.getByRole('button', { name: 'Email me the transcript' }).click();
    await widget.getByRole('textbox', { name: 'Email' }).fill(TRANSCRIPT_TO);
    await widget.getByRole('button', { name: 'Send transcript' }).click();
    await widget.getByText('The transcript is on its way to your inbox.').waitFor({ timeout: 10_000 });
    const [transcript] = await readRows(server.db, 'noticeOutbox', { toEmail: TRANSCRIPT_TO });
    expect(transcript?.body).toContain(QUESTION);
    expect(transcript?.body).toContain(answer);
    expect(transcript?.body).not.toContain(FIRST_NOTE);
    expect(transcript?.body).not.toContain(TRANSFER_NOTE);

    // Adam blocks the visitor: the widget says only that chat is not available.
    await his.getByRole('button', { name: 'Block visitor' }).click();
    const dialog = adam.getByRole('dialog', { name: 'Block this visitor?' });
    await dialog.getByRole('button', { name: 'Block' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => widget.locator('.status').textContent(), { timeout: 10_000 }).toBe(UNAVAILABLE);
    // The fixture's block on Anna, and this one.
    const blocks = await readRows(server.db, 'visitorBlocks', { accountId: ACME.id });
    expect(blocks.filter((block) => block.id !== 'blk_anna')).toHaveLength(1);

    await adam.goto(`${server.running.url}/app#/history`);
    await adam.getByLabel('List by tag').selectOption({ label: 'Billing' });
    await adam.locator('table').getByText('Billing').first().waitFor({ timeout: 10_000 });
    for (const page of [adam, visitor]) expect(await cspViolations(page)).toEqual([]);
  }, 60_000);
});
