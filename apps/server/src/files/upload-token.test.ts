import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readUploadToken, uploadToken } from './upload-token.ts';

const key = randomBytes(32);
const grant = {
  accountId: 'acc_acme',
  conversationId: 'cnv_one',
  visitorId: 'vis_one',
  widgetKey: 'pk_one',
  expiresAt: 10_000,
};

describe('upload tokens', () => {
  it('grant what they were made for, until they expire', () => {
    const token = uploadToken(key, grant);
    expect(readUploadToken(key, token, 9_999)).toEqual(grant);
    expect(readUploadToken(key, token, 10_000)).toBeNull();
  });

  it('are refused when altered, signed with another key or not a token at all', () => {
    const token = uploadToken(key, grant);
    const [payload, signature] = token.split('.') as [string, string];
    const widened = Buffer.from(
      JSON.stringify({ a: 'acc_acme', c: 'cnv_other', v: 'vis_one', k: 'pk_one', e: 10_000 }),
    ).toString('base64url');
    expect(readUploadToken(key, `${widened}.${signature}`, 0)).toBeNull();
    expect(readUploadToken(randomBytes(32), token, 0)).toBeNull();
    expect(readUploadToken(key, payload, 0)).toBeNull();
    expect(readUploadToken(key, `${token}.extra`, 0)).toBeNull();
    expect(readUploadToken(key, 'x'.repeat(2_000), 0)).toBeNull();
  });
});
