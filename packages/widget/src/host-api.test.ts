import { describe, expect, it } from 'vitest';
import { readIdentity } from './host-api.ts';

describe('readIdentity', () => {
  it('keeps a valid name and email, trimmed', () => {
    expect(readIdentity({ name: '  Ada Lovelace ', email: ' ada@example.com ' })).toEqual({
      identity: { name: 'Ada Lovelace', email: 'ada@example.com' },
      problems: [],
    });
  });

  it('takes either alone', () => {
    expect(readIdentity({ email: 'ada@example.com' }).identity).toEqual({ email: 'ada@example.com' });
    expect(readIdentity({ name: 'Ada' }).identity).toEqual({ name: 'Ada' });
  });

  it.each([
    [{ name: '', email: 'ada@example.com' }, { email: 'ada@example.com' }, ['name']],
    [{ name: 'x'.repeat(81) }, {}, ['name']],
    [{ name: 42 }, {}, ['name']],
    [{ name: 'Ada', email: 'not an address' }, { name: 'Ada' }, ['email']],
    [{ email: `${'a'.repeat(250)}@example.com` }, {}, ['email']],
    [{ name: 'Ada', email: ['ada@example.com'] }, { name: 'Ada' }, ['email']],
  ])('leaves out what the protocol would refuse: %j', (input, identity, fields) => {
    const read = readIdentity(input);
    expect(read.identity).toEqual(identity);
    expect(read.problems.map((problem) => problem.split(' ')[0])).toEqual(fields);
  });

  it.each([null, 'ada@example.com', 7, undefined])('refuses %j with a clear message', (input) => {
    expect(readIdentity(input)).toEqual({ identity: {}, problems: ['expects { name, email }'] });
  });
});
