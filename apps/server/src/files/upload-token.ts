import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The token a visitor's widget uploads files with. The widget runs on the customer's site, where Parley's cookies
 * may be blocked, so the visitor socket (which knows the visitor and their open conversation) hands it one on
 * request, signed with an installation key: it lets its holder add files to that one conversation, from that
 * website, for a few minutes.
 */

/** How long an upload token works; the widget asks for another when it has run out. */
export const UPLOAD_TOKEN_MS = 15 * 60 * 1000;

const Grant = z.strictObject({
  /** The account, the conversation and its visitor. */
  a: z.string().min(1).max(100),
  c: z.string().min(1).max(100),
  v: z.string().min(1).max(100),
  /** The widget's key (a website's, or the account's own): uploads go to `/w/<key>/files` and no other. */
  k: z.string().min(1).max(100),
  /** Until when, in milliseconds since the epoch. */
  e: z.number().int(),
});

export interface UploadGrant {
  accountId: string;
  conversationId: string;
  visitorId: string;
  widgetKey: string;
  expiresAt: number;
}

const sign = (key: Buffer, payload: string): string =>
  createHmac('sha256', key).update(`upload\n${payload}`).digest('base64url');

/** A token for `grant`: its fields as base64url JSON, a dot, and their signature. */
export function uploadToken(key: Buffer, grant: UploadGrant): string {
  const payload = Buffer.from(
    JSON.stringify({
      a: grant.accountId,
      c: grant.conversationId,
      v: grant.visitorId,
      k: grant.widgetKey,
      e: grant.expiresAt,
    }),
  ).toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

/** What a token grants, if this installation signed it and it has not expired at `now`; else null. */
export function readUploadToken(key: Buffer, token: string, now: number): UploadGrant | null {
  if (token.length > 1000) return null;
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = Grant.safeParse(json);
  if (!parsed.success || parsed.data.e <= now) return null;
  const { a, c, v, k, e } = parsed.data;
  return { accountId: a, conversationId: c, visitorId: v, widgetKey: k, expiresAt: e };
}
