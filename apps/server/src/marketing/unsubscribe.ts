import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ParleyDb, recordConsent, setMarketingPreference } from '@parley/db';
import { Hono } from 'hono';

/**
 * COM-2: every marketing email carries a signed link that unsubscribes its account in one click, without signing
 * in (RFC 8058). The token is the account id and an HMAC over it, so it cannot be forged for another account.
 */
export function unsubscribeToken(secret: Buffer, accountId: string): string {
  const mac = createHmac('sha256', secret).update(`unsubscribe:${accountId}`).digest('base64url');
  return `${Buffer.from(accountId).toString('base64url')}.${mac}`;
}

export function verifyUnsubscribeToken(secret: Buffer, token: string): string | null {
  const [encodedId, mac] = token.split('.');
  if (!encodedId || !mac) return null;
  const accountId = Buffer.from(encodedId, 'base64url').toString();
  const expected = Buffer.from(unsubscribeToken(secret, accountId).split('.')[1]!);
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? accountId : null;
}

export const unsubscribeUrl = (publicUrl: string, secret: Buffer, accountId: string): string =>
  `${publicUrl.replace(/\/$/, '')}/unsubscribe?t=${encodeURIComponent(unsubscribeToken(secret, accountId))}`;

const CONFIRMATION =
  'You will receive no more product news from Parley. Service messages about your account still reach you.';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/unsubscribe.css"></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f9;color:#1b1f24}
main{max-width:32rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px #0002}
button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:0;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
@media (prefers-color-scheme:dark){body{background:#111418;color:#e6e8eb}main{background:#1b1f24}}`;

export function unsubscribeRoutes(deps: { db: ParleyDb; secret: Buffer; policyVersion: () => string }) {
  const app = new Hono();
  const unsubscribe = async (token: string | undefined) => {
    const accountId = token ? verifyUnsubscribeToken(deps.secret, token) : null;
    if (!accountId) return false;
    await setMarketingPreference(deps.db, { accountId, optedIn: false, source: 'unsubscribe_link' });
    await recordConsent(deps.db, {
      accountId,
      scope: 'marketing',
      choice: 'withdraw',
      policyVersion: deps.policyVersion(),
      text: CONFIRMATION,
    });
    return true;
  };
  app.get('/unsubscribe.css', (c) =>
    c.body(STYLE, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    }),
  );
  // A GET only asks: mail scanners follow links, and must not unsubscribe anyone by doing so.
  app.get('/unsubscribe', (c) => {
    const token = c.req.query('t');
    if (!token || !verifyUnsubscribeToken(deps.secret, token))
      return c.html(
        page(
          'This link is not valid',
          '<p>The unsubscribe link is incomplete or was changed. Use the link from the email as it is.</p>',
        ),
        400,
      );
    return c.html(
      page(
        'Stop product news?',
        `<form method="post" action="/unsubscribe?t=${encodeURIComponent(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><p>One click and you will receive no more marketing email from Parley.</p><button type="submit">Unsubscribe</button></form>`,
      ),
    );
  });
  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` to the link; the form above posts the same.
  app.post('/unsubscribe', async (c) => {
    if (!(await unsubscribe(c.req.query('t'))))
      return c.html(
        page('This link is not valid', '<p>The unsubscribe link is incomplete or was changed.</p>'),
        400,
      );
    return c.html(page('You are unsubscribed', `<p>${CONFIRMATION}</p>`));
  });
  return app;
}
