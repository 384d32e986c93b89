import { MAX_CLOCK_SKEW_MS } from '@parley/db/chat';
import { describe, expect, it } from 'vitest';
import { DeliveredMessages } from './delivered-messages.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms).toISOString();

describe('DeliveredMessages', () => {
  it('anchors on the newest streamed message by time, then id; sent ones are remembered but do not move it', () => {
    const delivered = new DeliveredMessages();
    expect(delivered.anchor).toBeNull();
    delivered.sent({ id: 'msg_ack', at: at(9_000) });
    expect(delivered.anchor).toBeNull();
    delivered.streamed({ id: 'msg_b', at: at(1_000) });
    delivered.streamed({ id: 'msg_a', at: at(1_000) });
    delivered.streamed({ id: 'msg_old', at: at(500) });
    expect(delivered.anchor).toBe('msg_b');
    expect([delivered.has('msg_ack'), delivered.wasStreamed('msg_ack')]).toEqual([true, false]);
    expect(delivered.wasStreamed('msg_a')).toBe(true);
  });

  it('lets any message replace an anchor whose time it does not know', () => {
    const delivered = new DeliveredMessages();
    delivered.heldUpTo('msg_resumed_from', Number.NEGATIVE_INFINITY);
    expect(delivered.anchor).toBe('msg_resumed_from');
    delivered.streamed({ id: 'msg_next', at: at(0) });
    expect(delivered.anchor).toBe('msg_next');
  });

  it('passes on only the messages not sent yet, and counts them as streamed', () => {
    const delivered = new DeliveredMessages();
    delivered.sent({ id: 'msg_1', at: at(0) });
    const messages = ['msg_1', 'msg_2'].map((id, i) => ({
      id,
      conversationId: 'cnv_1',
      author: 'visitor' as const,
      text: id,
      at: at(i),
    }));
    expect(delivered.unseen(messages).map((m) => m.id)).toEqual(['msg_2']);
    expect(delivered.unseen(messages)).toEqual([]);
    expect(delivered.anchor).toBe('msg_2');
  });

  it('lets through the bus every frame but a message it already streamed, even one it sent in a history or ack', () => {
    const delivered = new DeliveredMessages();
    const message = (id: string) => ({
      type: 'message',
      message: { id, conversationId: 'cnv_1', author: 'visitor', text: id, at: at(0) },
    });
    delivered.sent({ id: 'msg_in_history', at: at(0) });
    delivered.streamed({ id: 'msg_caught_up', at: at(0) });
    expect(delivered.admit(message('msg_in_history'))).toBe(true);
    expect(delivered.admit(message('msg_caught_up'))).toBe(false);
    expect(delivered.admit(message('msg_new'))).toBe(true);
    expect(delivered.admit(message('msg_new'))).toBe(false);
    expect(delivered.admit({ type: 'typing', typing: true })).toBe(true);
  });

  it('forgets ids further behind the anchor than a catch-up reads back, once enough have piled up', () => {
    const delivered = new DeliveredMessages();
    delivered.streamed({ id: 'msg_long_ago', at: at(0) });
    for (let i = 0; i < 100; i++) delivered.streamed({ id: `msg_${i}`, at: at(MAX_CLOCK_SKEW_MS + 1 + i) });
    expect(delivered.has('msg_long_ago')).toBe(false);
    expect(delivered.has('msg_0')).toBe(true);
    expect(delivered.has('msg_99')).toBe(true);
  });
});
