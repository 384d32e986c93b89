// The API a host page has on `window.Parley`. The launcher defines it (and keeps it tiny): `hide` and `show` it
// handles itself, `open` loads chat.js, and everything else waits in the handover's queue until chat.js runs it.
// A page may call the API before widget.js has loaded through the stub the README gives, which collects calls in
// `Parley.q`; the launcher takes those over.

/**
 * One call: `Parley('identify', { name, email })` is `['identify', { name, email }]`, or the `arguments` the
 * README's stub kept.
 */
export type HostCommand = ArrayLike<unknown>;

export type HostCommandName = 'open' | 'close' | 'hide' | 'show' | 'identify' | 'navigate' | 'on';

/**
 * `window.Parley`: `Parley('open')`, `Parley('identify', { name, email })`. One function rather than a method per
 * command keeps the launcher within its size budget, and it is the same shape as the stub a page defines first.
 */
export type HostApi = ((...command: unknown[]) => void) & { q?: HostCommand[] };

export type HostApiWindow = typeof globalThis & { Parley?: HostApi };

/** Events a page may listen to with `Parley('on', event, listener)`. */
export type HostEvent = 'open' | 'close' | 'message';

/** The same rule the pre-chat form applies; the server checks again with the protocol's schema. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface Identity {
  name?: string;
  email?: string;
}

/**
 * What `Parley('identify', …)` may pass on, checked as the protocol checks a `profile` frame: a name of 1 to 80
 * characters and an email address of at most 254, both trimmed. Anything else is named in `problems` and left out,
 * so that one bad field does not lose the other.
 */
export function readIdentity(input: unknown): { identity: Identity; problems: string[] } {
  const identity: Identity = {};
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null) return { identity, problems: ['expects { name, email }'] };
  const { name, email } = input as Record<string, unknown>;
  if (name !== undefined) {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed.length >= 1 && trimmed.length <= 80) identity.name = trimmed;
    else problems.push('name must be 1 to 80 characters; left out');
  }
  if (email !== undefined) {
    const trimmed = typeof email === 'string' ? email.trim() : '';
    if (trimmed.length <= 254 && EMAIL.test(trimmed)) identity.email = trimmed;
    else problems.push('email must be an address of at most 254 characters; left out');
  }
  return { identity, problems };
}
