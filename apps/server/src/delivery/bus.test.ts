import { describe, expect, it } from 'vitest';
import { type BusMessage, InProcessBus } from './bus.ts';

const frame = (type: string): BusMessage => ({ kind: 'frame', frame: { type } });

function recorder() {
  const received: string[] = [];
  const handler = (message: BusMessage) => {
    if (message.kind === 'frame') received.push(message.frame.type);
  };
  return { received, handler };
}

describe('the in-process bus', () => {
  it('delivers to every subscriber of a topic, and only of that topic', () => {
    const bus = new InProcessBus();
    const [a, b, other] = [recorder(), recorder(), recorder()];
    bus.subscribe('t', a.handler);
    bus.subscribe('t', b.handler);
    bus.subscribe('u', other.handler);
    bus.publish('t', frame('one'));
    expect([a.received, b.received, other.received]).toEqual([['one'], ['one'], []]);
  });

  it('stops delivering once unsubscribed, and forgets a topic nobody listens to', () => {
    const bus = new InProcessBus();
    const [a, b] = [recorder(), recorder()];
    const stopA = bus.subscribe('t', a.handler);
    const stopB = bus.subscribe('t', b.handler);
    stopA();
    bus.publish('t', frame('after-a'));
    stopB();
    bus.publish('t', frame('after-both'));
    expect([a.received, b.received]).toEqual([[], ['after-a']]);
    expect(bus.topicCount).toBe(0);
  });

  it('ignores an unsubscribe called twice, even after the topic has new subscribers', () => {
    const bus = new InProcessBus();
    const [a, b] = [recorder(), recorder()];
    const stopA = bus.subscribe('t', a.handler);
    stopA();
    bus.subscribe('t', b.handler);
    stopA();
    bus.publish('t', frame('still'));
    expect(b.received).toEqual(['still']);
    expect(bus.topicCount).toBe(1);
  });

  it('reports a failing subscriber and still delivers to the others', () => {
    const errors: unknown[] = [];
    const bus = new InProcessBus((error) => errors.push(error));
    const a = recorder();
    bus.subscribe('t', () => {
      throw new Error('broken subscriber');
    });
    bus.subscribe('t', a.handler);
    bus.publish('t', frame('one'));
    expect(a.received).toEqual(['one']);
    expect(errors).toHaveLength(1);
  });
});
