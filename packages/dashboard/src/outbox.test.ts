import { describe, expect, it } from 'vitest';
import { MAX_AUTOMATIC_ATTEMPTS, NOT_DELIVERED, Outbox } from './outbox.ts';

const input = (key: string, conversationId = 'c1') => ({
  key,
  conversationId,
  text: `text ${key}`,
  createdAt: '2025-03-04T09:00:00Z',
});

describe('Outbox', () => {
  it('queues a message until the connection is ready, then sends it once', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    expect(outbox.items[0]).toMatchObject({ status: 'queued', attempts: 0 });
    expect(outbox.flush().map((item) => item.key)).toEqual(['key-0001']);
    expect(outbox.items[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(outbox.flush()).toEqual([]);
  });

  it('removes a message on its ack and ignores a repeated ack', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    outbox.flush();
    expect(outbox.ack('key-0001')?.text).toBe('text key-0001');
    expect(outbox.ack('key-0001')).toBeUndefined();
    expect(outbox.ack('never-sent')).toBeUndefined();
    expect(outbox.items).toEqual([]);
  });

  it('resends an unacknowledged message once after a reconnect, with the same key', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    outbox.flush();
    outbox.reconnected();
    const resent = outbox.flush();
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ key: 'key-0001', attempts: MAX_AUTOMATIC_ATTEMPTS });
  });

  it('fails a message that went unacknowledged through two connections', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    outbox.flush();
    outbox.reconnected();
    outbox.flush();
    outbox.reconnected();
    expect(outbox.flush()).toEqual([]);
    expect(outbox.items[0]).toMatchObject({ status: 'failed', error: NOT_DELIVERED });
  });

  it('sends a message queued while disconnected on the next connection, counting that as its first attempt', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    outbox.reconnected();
    expect(outbox.flush()[0]).toMatchObject({ attempts: 1 });
  });

  it('ack after the resend: the duplicate ack of the first send is ignored', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    outbox.flush();
    outbox.reconnected();
    outbox.flush();
    expect(outbox.ack('key-0001')).toBeDefined();
    expect(outbox.ack('key-0001')).toBeUndefined();
  });

  it('marks a refused message failed; retry gives it a fresh budget, discard drops it', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001'));
    outbox.add(input('key-0002'));
    outbox.flush();
    expect(outbox.fail('key-0001', 'conversation is closed')).toBe(true);
    expect(outbox.fail('unknown', 'x')).toBe(false);
    expect(outbox.items[0]).toMatchObject({ status: 'failed', error: 'conversation is closed' });
    outbox.reconnected();
    expect(outbox.items[0]?.status).toBe('failed');
    expect(outbox.retry('key-0001')).toBe(true);
    expect(outbox.items[0]).toMatchObject({ status: 'queued', attempts: 0 });
    expect(outbox.items[0]?.error).toBeUndefined();
    outbox.discard('key-0001');
    expect(outbox.items.map((item) => item.key)).toEqual(['key-0002']);
  });

  it('keeps messages in order and per conversation; drops an erased conversation', () => {
    const outbox = new Outbox();
    outbox.add(input('key-0001', 'a'));
    outbox.add(input('key-0002', 'b'));
    outbox.add(input('key-0003', 'a'));
    expect(outbox.flush().map((item) => item.key)).toEqual(['key-0001', 'key-0002', 'key-0003']);
    expect(outbox.forConversation('a').map((item) => item.key)).toEqual(['key-0001', 'key-0003']);
    outbox.dropConversation('a');
    expect(outbox.items.map((item) => item.key)).toEqual(['key-0002']);
  });
});
