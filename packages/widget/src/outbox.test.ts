import { describe, expect, it } from 'vitest';
import { type KeyedFrame, Outbox } from './outbox.ts';

const message = (key: string, text = `text ${key}`): KeyedFrame => ({ type: 'send', key, text });

describe('Outbox', () => {
  it('sends each frame once per connection, oldest first', () => {
    const outbox = new Outbox();
    outbox.add(message('key-aaaa1'));
    outbox.add(message('key-bbbb2'));
    expect(outbox.due(1).map((frame) => frame.key)).toEqual(['key-aaaa1', 'key-bbbb2']);
    expect(outbox.due(1)).toEqual([]);
  });

  it('resends what was not acknowledged, once, on the next connection, with its original key', () => {
    const outbox = new Outbox();
    outbox.add(message('key-aaaa1'));
    outbox.add(message('key-bbbb2'));
    outbox.due(1);
    expect(outbox.settle('key-aaaa1')).toEqual(message('key-aaaa1'));
    expect(outbox.due(2)).toEqual([message('key-bbbb2')]);
    expect(outbox.due(2)).toEqual([]);
    // Dropped again before the ack: one more resend on the third connection.
    expect(outbox.due(3)).toEqual([message('key-bbbb2')]);
  });

  it('forgets an acknowledged frame for good, and ignores a second ack or an unknown key', () => {
    const outbox = new Outbox();
    outbox.add(message('key-aaaa1'));
    outbox.due(1);
    outbox.settle('key-aaaa1');
    expect(outbox.settle('key-aaaa1')).toBeUndefined();
    expect(outbox.settle('key-never')).toBeUndefined();
    expect(outbox.due(2)).toEqual([]);
    expect(outbox.size).toBe(0);
  });

  it('adding a key that is already waiting neither duplicates nor replaces it', () => {
    const outbox = new Outbox();
    outbox.add(message('key-aaaa1', 'first'));
    outbox.add(message('key-aaaa1', 'second'));
    expect(outbox.due(1)).toEqual([message('key-aaaa1', 'first')]);
    expect(outbox.has('key-aaaa1')).toBe(true);
  });

  it('a frame added while connected goes out on that connection without repeating the others', () => {
    const outbox = new Outbox();
    outbox.add(message('key-aaaa1'));
    outbox.due(1);
    outbox.add(message('key-bbbb2'));
    expect(outbox.due(1)).toEqual([message('key-bbbb2')]);
  });

  it('keeps offline messages too, since they carry a key', () => {
    const outbox = new Outbox();
    const offline: KeyedFrame = {
      type: 'offline_message',
      key: 'key-cccc3',
      email: 'a@b.example',
      text: 'hi',
    };
    outbox.add(offline);
    expect(outbox.due(1)).toEqual([offline]);
    outbox.clear();
    expect(outbox.size).toBe(0);
  });
});
