import { describe, expect, it } from 'vitest';
import { InProcessBus } from './bus.ts';
import { busSuite } from './testing/bus-suite.ts';

busSuite('in process', { node: async (onError) => new InProcessBus(onError), shared: false });

describe('the in-process bus', () => {
  const recorder = () => {
    const received: string[] = [];
    return { received, handler: (message: string) => received.push(message) };
  };

  it('forgets a topic nobody listens to any more', async () => {
    const bus = new InProcessBus<string>();
    const [a, b] = [recorder(), recorder()];
    const stopA = await bus.subscribe('t', a.handler);
    const stopB = await bus.subscribe('t', b.handler);
    stopA();
    await bus.publish('t', 'after-a');
    stopB();
    await bus.publish('t', 'after-both');
    expect([a.received, b.received]).toEqual([[], ['after-a']]);
    expect(bus.topicCount).toBe(0);
  });

  it('ignores an unsubscribe called twice, even after the topic has new subscribers', async () => {
    const bus = new InProcessBus<string>();
    const [a, b] = [recorder(), recorder()];
    const stopA = await bus.subscribe('t', a.handler);
    stopA();
    await bus.subscribe('t', b.handler);
    stopA();
    await bus.publish('t', 'still');
    expect(b.received).toEqual(['still']);
    expect(bus.topicCount).toBe(1);
  });
});
