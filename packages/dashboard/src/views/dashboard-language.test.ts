import type { ServerToAgent } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../api-client.ts';
import type { Profile, Website } from '../api-types.ts';
import { type Language, setLanguage } from '../i18n/i18n.ts';
import { LiveInbox } from '../live-inbox.ts';
import { FakeEvent, installFakeDocument } from '../testing/fake-document.ts';
import { FakeSocket } from '../testing/fake-socket.ts';
import { inboxView } from './inbox-view.ts';
import { profileView } from './profile-view.ts';
import { blankWebsite, hoursText, previewUrl, websitesView } from './websites-view.ts';

// The dashboard speaks the language in the agent's profile: every word of a view comes from the catalogue of that
// language, and `<html lang>` follows.

let page: ReturnType<typeof installFakeDocument>;
beforeEach(() => {
  page = installFakeDocument();
});
afterEach(() => {
  setLanguage('en');
  page.restore();
});

const settle = async () => {
  for (let round = 0; round < 5; round++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** The dashboard API as the server answers it, for one agent whose profile this test can read. */
function profileServer(language: Language | null) {
  const profile: Profile = {
    name: 'Adam',
    email: 'adam@acme.test',
    pendingEmail: null,
    displayName: null,
    initials: null,
    language,
    notifications: { sound: true, desktop: false, missedChatMail: true },
  };
  const changes: unknown[] = [];
  const answers: Record<string, () => unknown> = {
    'GET /app/api/profile': () => profile,
    'GET /app/api/sessions': () => ({ sessions: [] }),
    'GET /app/api/second-factor': () => ({ enrolled: false, required: false, recoveryCodesLeft: 0 }),
  };
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const route = `${init?.method ?? 'GET'} ${url}`;
    if (route === 'PATCH /app/api/profile') {
      const change = JSON.parse(String(init?.body)) as Partial<Profile>;
      changes.push(change);
      Object.assign(profile, change);
      return Response.json(profile);
    }
    const answer = answers[route];
    return answer
      ? Response.json(answer())
      : Response.json({ error: { code: 'not_found' } }, { status: 404 });
  };
  return { api: new ApiClient({ fetch }), profile, changes };
}

/** The profile page with nothing listening to what it changes. */
const quietProfileView = (api: ApiClient) =>
  profileView({
    api,
    onNameChanged() {},
    onSignedOut() {},
    onLanguageChanged() {},
    onNotificationsChanged() {},
  });

function liveInbox(): LiveInbox {
  const socket = new FakeSocket();
  const live = new LiveInbox({ url: 'ws://test/ws/agent', me: { name: 'Adam' }, createSocket: () => socket });
  live.start();
  socket.open();
  const snapshot: ServerToAgent = {
    type: 'snapshot',
    agent: { id: 'agt_1', name: 'Adam', online: true },
    conversations: [],
    agentsOnline: 1,
  };
  socket.receive(snapshot);
  return live;
}

describe('the dashboard in the language of the agent’s profile', () => {
  it('shows the inbox and the profile in German when the profile says German, and marks the page German', async () => {
    const { api } = profileServer('de');
    setLanguage((await api.profile()).language);
    expect(page.document.documentElement.lang).toBe('de');

    const live = liveInbox();
    const inbox = inboxView({
      api,
      live,
      me: { id: 'agt_1', name: 'Adam', email: 'a@x', role: 'agent' },
      announce() {},
    });
    expect(inbox.element.textContent).toContain('Posteingang');
    expect(inbox.element.textContent).toContain('Wartend');
    expect(inbox.element.textContent).toContain('Niemand wartet.');
    expect(inbox.element.textContent).toContain('Keine Unterhaltung geöffnet');
    expect(inbox.element.textContent).not.toContain('Waiting');
    inbox.destroy();
    live.stop();

    const view = quietProfileView(api);
    await settle();
    const text = view.element.textContent;
    for (const words of ['Ihr Profil', 'Sprache des Dashboards', 'Profil speichern', 'Passwort ändern'])
      expect(text).toContain(words);
    expect(text).not.toContain('Your profile');
    expect(view.element.querySelector('select')?.value).toBe('de');
    view.destroy();
  });

  it('shows English to an agent whose profile says English', async () => {
    const { api } = profileServer('en');
    setLanguage((await api.profile()).language);
    expect(page.document.documentElement.lang).toBe('en');
    const view = quietProfileView(api);
    await settle();
    expect(view.element.textContent).toContain('Your profile');
    expect(view.element.textContent).not.toContain('Ihr Profil');
  });

  it('stores the language the agent chooses in the profile and hands it to the dashboard to redraw', async () => {
    const server = profileServer(null);
    setLanguage(server.profile.language);
    const chosen: Array<Language | null> = [];
    const view = profileView({
      api: server.api,
      onNameChanged() {},
      onSignedOut() {},
      onLanguageChanged: (language) => chosen.push(language),
      onNotificationsChanged() {},
    });
    await settle();
    const select = view.element.querySelector<HTMLSelectElement>('select[name="language"]');
    if (!select) throw new Error('the profile has no language choice');
    expect(select.value).toBe('');
    select.value = 'de';
    // The views listen as the browser's elements do; the fake document's event stands in for the browser's.
    select.closest('form')?.dispatchEvent(new FakeEvent('submit') as unknown as Event);
    await settle();
    expect(server.changes).toEqual([{ language: 'de' }]);
    expect(chosen).toEqual(['de']);
    expect(server.profile.language).toBe('de');
  });
});

/** One website, open on weekdays in Berlin, as the server lists it. */
const shop: Website = {
  ...blankWebsite('Acme Shop'),
  id: 'web_1',
  publicKey: 'pk_shop',
  createdAt: '2026-01-05T10:00:00.000Z',
  snippet: '<script src="https://chat.example/w/pk_shop/widget.js" async></script>',
  hours: {
    timeZone: 'Europe/Berlin',
    days: { mon: { open: '09:00', close: '17:00' }, fri: { open: '10:00', close: '14:00' } },
  },
};

/** The account's websites and departments, of which the shop offers one in its pre-chat form. */
const WEBSITES_API: Record<string, unknown> = {
  '/app/api/websites': { websites: [shop] },
  '/app/api/departments': {
    departments: [
      { id: 'dep_sales', name: 'Vertrieb', agentIds: [], createdAt: '2025-03-01T09:00:00Z' },
      { id: 'dep_help', name: 'Kundendienst', agentIds: [], createdAt: '2025-03-01T09:00:00Z' },
    ],
    agents: [],
  },
  [`/app/api/websites/${shop.id}/departments`]: { departments: [{ id: 'dep_sales', name: 'Vertrieb' }] },
};

/** The API of the Websites page; what it is sent to store goes in `changes`, and the shop comes back as it was. */
const websitesApi = (changes: Array<{ method: string; url: string; body: unknown }> = []) =>
  new ApiClient({
    fetch: async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (method === 'PUT') {
        changes.push({ method, url, body: JSON.parse(String(init?.body)) });
        return Response.json(url.endsWith('/departments') ? { departments: [] } : shop);
      }
      return url in WEBSITES_API
        ? Response.json(WEBSITES_API[url])
        : Response.json({ error: { code: 'not_found' } }, { status: 404 });
    },
  });

describe('the Websites page in the language of the agent’s profile', () => {
  it('shows its words, weekdays and time zones in German, in the card and in the form', async () => {
    setLanguage('de');
    const changes: Array<{ method: string; url: string; body: unknown }> = [];
    const view = websitesView({ api: websitesApi(changes), canEdit: true });
    await settle();
    const text = view.element.textContent;
    for (const words of [
      'Jede Website, auf der Sie den Chat einbinden',
      'Code-Schnipsel kopieren',
      'Öffentlicher Schlüssel',
      'Website hinzufügen',
      'Mo 09:00–17:00, Fr 10:00–14:00 · Mitteleuropäische Zeit (Europe/Berlin)',
    ])
      expect(text).toContain(words);
    for (const words of ['Add a website', 'Snippet', 'Mon ', 'Central European Time'])
      expect(text).not.toContain(words);

    const edit = [...view.element.querySelectorAll('button')].find(
      (button) => button.textContent === 'Bearbeiten',
    );
    if (!edit) throw new Error('the card has no edit button');
    edit.dispatchEvent(new FakeEvent('click') as unknown as Event);
    await settle();
    const form = view.element.textContent;
    for (const words of [
      'Erlaubte Ursprünge',
      'Geschäftszeiten',
      'Montag',
      'Sonntag',
      'Unten rechts',
      'Website speichern',
      'Angebotene Abteilungen',
      'Vertrieb',
      'Kundendienst',
    ])
      expect(form).toContain(words);
    // The departments the website offers are ticked, the others not.
    const boxes = [...view.element.querySelectorAll('label')]
      .filter((label) => ['Vertrieb', 'Kundendienst'].includes(label.textContent ?? ''))
      .map(
        (label) =>
          view.element.querySelector(`input[id="${label.getAttribute('for')}"]`) as HTMLInputElement | null,
      );
    expect(boxes.map((box) => box?.checked)).toEqual([true, false]);
    expect(form).not.toContain('Monday');
    const labels = [...view.element.querySelectorAll('input')].map((input) =>
      input.getAttribute('aria-label'),
    );
    expect(labels).toContain('Montag: geöffnet ab');
    expect(labels).toContain('Sonntag: geöffnet bis');
    // The time zones to choose from, named in German once the field is used.
    const zone = view.element.querySelector('input[list="website-time-zones"]');
    zone?.dispatchEvent(new FakeEvent('focus') as unknown as Event);
    const berlin = [...view.element.querySelectorAll('option')].find(
      (option) => option.value === 'Europe/Berlin',
    );
    expect(berlin?.getAttribute('label')).toBe('Mitteleuropäische Zeit');
    // The preview page's own words follow the dashboard's language too.
    expect(view.element.querySelector('iframe')?.getAttribute('src')).toContain('lang=de');
    // Saving the website saves the departments it offers with it: here both, once the second is ticked.
    const [, help] = boxes;
    if (!help) throw new Error('the form has no box for Kundendienst');
    help.checked = true;
    view.element
      .querySelector('form.website-form')
      ?.dispatchEvent(new FakeEvent('submit') as unknown as Event);
    await settle();
    expect(changes.map(({ url, body }) => (url.endsWith('/departments') ? body : url))).toEqual([
      `/app/api/websites/${shop.id}`,
      { departmentIds: ['dep_sales', 'dep_help'] },
    ]);
    view.destroy();
  });

  it('speaks English, with English weekdays and time zones, to an agent whose profile says English', () => {
    setLanguage('en');
    expect(hoursText(shop.hours)).toBe(
      'Mon 09:00–17:00, Fri 10:00–14:00 · Central European Time (Europe/Berlin)',
    );
    expect(hoursText({ timeZone: 'UTC', days: {} })).toBe('— · UTC');
    expect(hoursText(null)).toBe('Always');
    expect(previewUrl('pk_shop', shop)).toContain('lang=en');
    setLanguage('de');
    expect(hoursText(null)).toBe('Immer');
  });
});
