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
