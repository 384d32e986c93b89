import { AdminError } from './errors.ts';

/**
 * A state-changing request must come from the console's own pages: browsers send `Origin` with every POST, and
 * `Sec-Fetch-Site` when they know it. A request from another site, or one that names no origin, is refused.
 */
export function assertSameOrigin(req: Request, allowed: ReadonlySet<string>): void {
  const site = req.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin')
    throw new AdminError('origin_refused', 'This request did not come from the admin console.');
  const origin = req.headers.get('origin');
  if (origin === null || origin === 'null')
    throw new AdminError(
      'origin_refused',
      'This request names no origin; only the admin console may send it.',
    );
  if (origin !== new URL(req.url).origin && !allowed.has(origin))
    throw new AdminError('origin_refused', 'This request did not come from the admin console.');
}
