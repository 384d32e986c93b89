import { describe, expect, it } from 'vitest';
import { isIdLike, MASKED_PATH_MAX, maskedPath } from './masked-path.ts';

describe('maskedPath', () => {
  it.each([
    ['https://shop.test/', '/'],
    ['https://shop.test', '/'],
    ['https://shop.test/roses/red', '/roses/red'],
    ['https://shop.test/roses?colour=red&email=a@b.c#reviews', '/roses'],
    ['https://user:secret@shop.test/account', '/account'],
    ['http://shop.test:8080/summer-sale-2024', '/summer-sale-2024'],
    ['https://shop.test/orders/1234567/invoice', '/orders/:id/invoice'],
    ['https://shop.test/orders/order-123456', '/orders/:id'],
    ['https://shop.test/users/ada@example.org/settings', '/users/:id/settings'],
    ['https://shop.test/users/ada%40example.org', '/users/:id'],
    ['https://shop.test/call/+49%20170%201234567', '/call/:id'],
    ['https://shop.test/call/0170-123-45-67', '/call/:id'],
    ['https://shop.test/c/550e8400-e29b-41d4-a716-446655440000/view', '/c/:id/view'],
    ['https://shop.test/c/550E8400E29B41D4A716446655440000', '/c/:id'],
    ['https://shop.test/reset/Zm9vYmFyYmF6MTIzNDU2Nzg5', '/reset/:id'],
    ['https://shop.test/reset/a1b2c3d4e5f6a7b8c9d0', '/reset/:id'],
    ['https://shop.test/s/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc', '/s/:id'],
    ['https://shop.test/p/abcdefghijklmnopqrstuvwxyzabcdefgh', '/p/:id'],
    ['https://shop.test/cart;jsessionid=A1B2C3', '/cart'],
    ['https://shop.test/a/%E0%A4%A', '/a/:id'],
    ['https://shop.test/a/%2Fetc%2Fpasswd', '/a/:id'],
    ['https://shop.test/a/line%0Abreak', '/a/:id'],
    ['https://shop.test/bl%C3%BCmen/rosen', '/bl%C3%BCmen/rosen'],
    ['https://shop.test/a/../b/./c', '/b/c'],
    ['https://shop.test/year/2024/month/12', '/year/2024/month/12'],
  ])('%s → %s', (page, path) => {
    expect(maskedPath(page)).toBe(path);
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['/relative/path'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    ['ftp://shop.test/file'],
    ['not a url at all'],
    ['https://'],
  ])('refuses %s', (page) => {
    expect(maskedPath(page)).toBeNull();
  });

  it('keeps at most its limit, cut at a segment', () => {
    const page = `https://shop.test/${Array.from({ length: 200 }, () => 'garden').join('/')}`;
    const path = maskedPath(page) ?? '';
    expect(path.length).toBeLessThanOrEqual(MASKED_PATH_MAX);
    expect(path).toMatch(/^(\/garden)+$/);
  });

  it('masks one enormous segment instead of keeping it', () => {
    expect(maskedPath(`https://shop.test/${'x'.repeat(5000)}`)).toBe('/:id');
  });
});

describe('isIdLike', () => {
  it.each(['checkout', 'summer-sale-2024', 'size-42', 'iphone-15-pro-max', 'page-2', 'über-uns'])(
    'leaves the page name %s',
    (segment) => expect(isIdLike(segment)).toBe(false),
  );
  it.each(['123456', 'ada@example.org', 'deadbeef00112233', 'A1b2C3d4E5f6G7h8', 'ref_0a1b2c3d4e5f6a7b8c'])(
    'masks %s',
    (segment) => expect(isIdLike(segment)).toBe(true),
  );
});
