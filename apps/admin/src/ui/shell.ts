import { mayCall } from '../permissions.ts';
import { api, errorMessage, isSignedOut, setCsrfToken } from './api.ts';
import { h, notice, replaceChildren, whileBusy } from './dom.ts';
import type { Me, Section, ViewContext } from './view.ts';
import { accountsView } from './views/accounts.ts';
import { auditView } from './views/audit.ts';
import { dataMapView } from './views/data-map.ts';
import { disclosuresView } from './views/disclosures.ts';
import { handoffsView } from './views/handoffs.ts';
import { marketingView } from './views/marketing.ts';
import { noticesView } from './views/notices.ts';
import { overviewView } from './views/overview.ts';
import { policyView } from './views/policy.ts';
import { policyTextView } from './views/policy-text.ts';
import { requestsView } from './views/requests.ts';
import { retentionView } from './views/retention.ts';
import { staffView } from './views/staff.ts';
import { statisticsView } from './views/statistics.ts';
import { supportView } from './views/support.ts';

export const SECTIONS: Section[] = [
  {
    id: 'overview',
    reads: 'overview.counts',
    label: 'Overview',
    group: 'Installation',
    render: overviewView,
  },
  {
    id: 'accounts',
    reads: 'accounts.search',
    label: 'Accounts',
    group: 'Installation',
    render: accountsView,
  },
  {
    id: 'statistics',
    reads: 'statistics.installation',
    label: 'Statistics',
    group: 'Installation',
    render: statisticsView,
  },
  {
    id: 'requests',
    reads: 'requests.list',
    label: 'Visitor requests',
    group: 'Privacy operations',
    render: requestsView,
  },
  {
    id: 'disclosures',
    reads: 'disclosures.list',
    label: 'Disclosures',
    group: 'Privacy operations',
    render: disclosuresView,
  },
  {
    id: 'handoffs',
    reads: 'handoffs.list',
    label: 'Processor hand-offs',
    group: 'Privacy operations',
    render: handoffsView,
  },
  {
    id: 'retention',
    reads: 'retention.runs',
    label: 'Retention',
    group: 'Privacy operations',
    render: retentionView,
  },
  { id: 'policy', reads: 'policy.versions', label: 'Versions', group: 'Policy', render: policyView },
  {
    id: 'policy-text',
    reads: 'policy.document',
    label: 'Policy text',
    group: 'Policy',
    render: policyTextView,
  },
  { id: 'data-map', reads: 'policy.dataMap', label: 'Data map', group: 'Policy', render: dataMapView },
  {
    id: 'notices',
    reads: 'notices.outbox',
    label: 'Notices and mail',
    group: 'Communications',
    render: noticesView,
  },
  {
    id: 'marketing',
    reads: 'marketing.audience',
    label: 'Marketing email',
    group: 'Communications',
    render: marketingView,
  },
  {
    id: 'support',
    reads: 'support.list',
    label: 'Support requests',
    group: 'Communications',
    render: supportView,
  },
  { id: 'audit', reads: 'audit.list', label: 'Audit log', group: 'Security', render: auditView },
  { id: 'staff', reads: 'staff.list', label: 'Staff', group: 'Security', render: staffView },
];

/** The sections this member's role may read, in the sidebar's order. */
const sectionsFor = (me: Me): Section[] => SECTIONS.filter((s) => mayCall(me.staff.role, s.reads));

const current = (sections: Section[]): Section => {
  const id = location.hash.replace(/^#\/?/, '');
  return sections.find((s) => s.id === id) ?? sections[0]!;
};

/** The signed-in console: a header, the sections in a sidebar, and the current section. */
export function renderShell(root: HTMLElement, me: Me, onSignedOut: (message?: string) => void): void {
  const main = h('main', { id: 'main', tabindex: -1 });
  const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const links = new Map<string, HTMLAnchorElement>();
  const sections = sectionsFor(me);
  const groups = [...new Set(sections.map((s) => s.group))];
  const nav = h(
    'nav',
    { class: 'sidebar', 'aria-label': 'Sections' },
    groups.map((group) => {
      const headingId = `nav-${group.toLowerCase().replace(/[^a-z]+/g, '-')}`;
      return h(
        'div',
        { class: 'nav-group' },
        h('h2', { id: headingId }, group),
        h(
          'ul',
          { 'aria-labelledby': headingId },
          sections
            .filter((s) => s.group === group)
            .map((s) => {
              const link = h('a', { href: `#/${s.id}` }, s.label);
              links.set(s.id, link);
              return h('li', {}, link);
            }),
        ),
      );
    }),
  );

  const signOut = h('button', { type: 'button', class: 'button secondary small' }, 'Sign out');
  signOut.addEventListener('click', () =>
    whileBusy(signOut, async () => {
      try {
        await api.auth.signOut.mutate();
      } catch {
        // Signed out already, or the server is gone: either way the page forgets the session.
      }
      setCsrfToken(null);
      onSignedOut('You have signed out.');
    }),
  );

  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h('p', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Parley admin'),
    h(
      'p',
      { class: 'who' },
      h('span', { class: 'who-name' }, me.staff.name),
      h('span', { class: 'who-email' }, me.staff.email),
    ),
    signOut,
  );
  replaceChildren(root, header, h('div', { class: 'layout' }, nav, main), live);

  // The skip link targets the main region without changing the route.
  header.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });

  let rendering = 0;
  const context: ViewContext = {
    me,
    refresh: () => void show(false),
    signedOut: () => onSignedOut('Your session has ended. Please sign in again.'),
    announce: (message) => {
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = message;
      }, 50);
    },
  };

  async function show(moveFocus: boolean): Promise<void> {
    const section = current(sections);
    const ticket = ++rendering;
    for (const [id, link] of links) {
      if (id === section.id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${section.label} · Parley admin`;
    main.setAttribute('aria-busy', 'true');
    try {
      const content = await section.render(context);
      if (ticket !== rendering) return;
      replaceChildren(main, content);
    } catch (error) {
      if (ticket !== rendering) return;
      if (isSignedOut(error)) return onSignedOut('Your session has ended. Please sign in again.');
      const retry = h(
        'button',
        { type: 'button', class: 'button secondary', onclick: () => void show(true) },
        'Try again',
      );
      replaceChildren(
        main,
        h('h1', { tabindex: -1 }, section.label),
        notice('bad', errorMessage(error), ' ', retry),
      );
    } finally {
      if (ticket === rendering) main.removeAttribute('aria-busy');
    }
    if (moveFocus) main.querySelector<HTMLElement>('h1')?.focus();
  }

  window.onhashchange = () => void show(true);
  void show(false);
}
