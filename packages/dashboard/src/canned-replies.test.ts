import { describe, expect, it } from 'vitest';
import { fillPlaceholders, filterCannedReplies, movedIndex, slashQuery } from './canned-replies.ts';

const reply = (shortName: string) => ({ id: `cnr_${shortName}`, shortName, body: `text of ${shortName}` });
const replies = [
  reply('shipping'),
  reply('refund'),
  reply('hours'),
  reply('refund-late'),
  reply('no-refunds'),
];

describe('the / filter of the reply box', () => {
  it.each([
    ['/', ''],
    ['/ref', 'ref'],
    ['/REF', 'ref'],
    ['/refund-late', 'refund-late'],
    ['hello /ref', null],
    ['/ref and more', null],
    ['/ref\n', null],
    ['', null],
    ['//', null],
  ])('%j asks for %j', (text, query) => {
    expect(slashQuery(text)).toBe(query);
  });

  it('lists short names starting with the query first, then those containing it, each by name', () => {
    expect(filterCannedReplies(replies, 'ref').map((r) => r.shortName)).toEqual([
      'refund',
      'refund-late',
      'no-refunds',
    ]);
    expect(filterCannedReplies(replies, '').map((r) => r.shortName)).toEqual([
      'hours',
      'no-refunds',
      'refund',
      'refund-late',
      'shipping',
    ]);
    expect(filterCannedReplies(replies, 'xyz')).toEqual([]);
  });

  it('moves the highlight with the arrows, Home and End, wrapping at the ends', () => {
    expect(movedIndex('ArrowDown', 0, 3)).toBe(1);
    expect(movedIndex('ArrowDown', 2, 3)).toBe(0);
    expect(movedIndex('ArrowUp', 0, 3)).toBe(2);
    expect(movedIndex('Home', 2, 3)).toBe(0);
    expect(movedIndex('End', 0, 3)).toBe(2);
    expect(movedIndex('Enter', 1, 3)).toBeNull();
    expect(movedIndex('ArrowDown', 0, 0)).toBeNull();
  });
});

describe('placeholders of a canned reply', () => {
  const names = { visitor: 'Anna', agent: 'Olivia', visitorFallback: 'there' };

  it('fills in the visitor’s and the agent’s names, every time they appear', () => {
    expect(fillPlaceholders('Hello {visitor.name}, {agent.name} here. Bye {visitor.name}!', names)).toBe(
      'Hello Anna, Olivia here. Bye Anna!',
    );
  });

  it('greets a visitor without a name by the fallback', () => {
    expect(fillPlaceholders('Hello {visitor.name}', { ...names, visitor: null })).toBe('Hello there');
    expect(fillPlaceholders('Hello {visitor.name}', { ...names, visitor: '  ' })).toBe('Hello there');
  });

  it('leaves other braces as written', () => {
    expect(fillPlaceholders('Order {order.id} for {visitor.name}', names)).toBe('Order {order.id} for Anna');
  });
});
