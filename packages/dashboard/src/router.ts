/** The dashboard's hash routes: the server serves one page at `/app`, and the fragment picks the view. */

export type Route =
  | { name: 'inbox'; conversationId: string | null }
  | { name: 'history'; conversationId: string | null }
  | { name: 'messages' }
  | { name: 'team' }
  | { name: 'account' }
  | { name: 'websites' }
  | { name: 'replies' }
  | { name: 'privacy' }
  | { name: 'stats' }
  | { name: 'support'; threadId: string | null }
  | { name: 'invite'; token: string }
  | { name: 'profile' }
  | { name: 'forgot-password' }
  | { name: 'reset-password'; token: string }
  | { name: 'confirm-email'; token: string }
  | { name: 'not-found'; path: string };

export type Section = Route['name'];

/** Pages shown without the signed-in frame: they work from a link in a mail, signed in or not. */
export const LINK_PAGES: ReadonlySet<Section> = new Set([
  'invite',
  'forgot-password',
  'reset-password',
  'confirm-email',
]);

/** Sections for the people who run the account (its owner and admins); plain agents answer chats. */
export const ACCOUNT_SECTIONS: ReadonlySet<Section> = new Set([
  'team',
  'account',
  'privacy',
  'stats',
  'support',
]);

const ID = /^[A-Za-z0-9_-]{1,128}$/;

function decode(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return ID.test(value) ? value : null;
  } catch {
    return null;
  }
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const [head = '', second, ...rest] = path.split('/');
  if (rest.length > 0) return { name: 'not-found', path };
  const id = second === undefined ? null : decode(second);
  if (second !== undefined && id === null) return { name: 'not-found', path };
  switch (head) {
    case '':
    case 'inbox':
      return second === undefined ? { name: 'inbox', conversationId: null } : { name: 'not-found', path };
    case 'c':
      return id ? { name: 'inbox', conversationId: id } : { name: 'not-found', path };
    case 'history':
      return { name: 'history', conversationId: id };
    case 'support':
      return { name: 'support', threadId: id };
    case 'invite':
    case 'reset-password':
    case 'confirm-email':
      return id ? { name: head, token: id } : { name: 'not-found', path };
    case 'messages':
    case 'profile':
    case 'forgot-password':
    case 'team':
    case 'account':
    case 'websites':
    case 'replies':
    case 'privacy':
    case 'stats':
      return second === undefined ? { name: head } : { name: 'not-found', path };
    default:
      return { name: 'not-found', path };
  }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'inbox':
      return route.conversationId ? `#/c/${encodeURIComponent(route.conversationId)}` : '#/';
    case 'history':
      return route.conversationId ? `#/history/${encodeURIComponent(route.conversationId)}` : '#/history';
    case 'support':
      return route.threadId ? `#/support/${encodeURIComponent(route.threadId)}` : '#/support';
    case 'invite':
    case 'reset-password':
    case 'confirm-email':
      return `#/${route.name}/${encodeURIComponent(route.token)}`;
    case 'not-found':
      return '#/';
    default:
      return `#/${route.name}`;
  }
}
