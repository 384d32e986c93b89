import { describe, expect, it, vi } from 'vitest';
import type { Bus } from '../bus.ts';

type Message = { kind: 'frame'; n: number; text?: string };

/**
 * Makes the bus of one node. A shared bus (Redis) answers buses that reach each other; for one that is not, the
 * cases about several nodes are skipped.
 */
export interface BusFactory {
  node(onError: (error: unknown) => void): Promise<Bus<Message>>;
  shared: boolean;
}

/** Waits until `check` passes: a shared bus delivers after a round trip, not within `publish`. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 5 });

/** The cases every bus must pass. */
export function busSuite(name: string, factory: BusFactory): void {
  describe(`bus (${name})`, () => {
    it('delivers to every subscriber of the topic, and only theirs', async () => {
      const bus = await factory.node(() => {});
      const a: Message[] = [];
      const b: Message[] = [];
      const other: Message[] = [];
      await bus.subscribe('chat:1', (m) => a.push(m));
      await bus.subscribe('chat:1', (m) => b.push(m));
      await bus.subscribe('chat:2', (m) => other.push(m));
      await bus.publish('chat:1', { kind: 'frame', n: 1, text: 'héllo "quoted" \u2028' });
      await eventually(() => expect(b).toHaveLength(1));
      expect(a).toEqual([{ kind: 'frame', n: 1, text: 'héllo "quoted" \u2028' }]);
      expect(b).toEqual(a);
      await bus.publish('chat:2', { kind: 'frame', n: 2 });
      await eventually(() => expect(other).toHaveLength(1));
      expect(a).toHaveLength(1);
      await bus.close();
    });

    it('keeps the order of one publisher on one topic', async () => {
      const bus = await factory.node(() => {});
      const seen: number[] = [];
      await bus.subscribe('ordered', (m) => seen.push(m.n));
      for (let n = 0; n < 200; n++) void bus.publish('ordered', { kind: 'frame', n });
      await eventually(() => expect(seen).toHaveLength(200));
      expect(seen).toEqual(Array.from({ length: 200 }, (_, n) => n));
      await bus.close();
    });

    it('ends a subscription, and a handler that throws stops no other', async () => {
      const errors: unknown[] = [];
      const bus = await factory.node((error) => errors.push(error));
      const kept: number[] = [];
      const ended: number[] = [];
      await bus.subscribe('t', () => {
        throw new Error('handler failed');
      });
      await bus.subscribe('t', (m) => kept.push(m.n));
      const end = await bus.subscribe('t', (m) => ended.push(m.n));
      await bus.publish('t', { kind: 'frame', n: 1 });
      await eventually(() => expect(ended).toEqual([1]));
      end();
      await bus.publish('t', { kind: 'frame', n: 2 });
      await eventually(() => expect(kept).toEqual([1, 2]));
      expect(ended).toEqual([1]);
      expect(errors).toHaveLength(2);
      await bus.close();
    });

    it.skipIf(!factory.shared)(
      'delivers to the subscribers of every node, the publisher’s own too',
      async () => {
        const one = await factory.node(() => {});
        const two = await factory.node(() => {});
        const onOne: number[] = [];
        const onTwo: number[] = [];
        await one.subscribe('account:a:agents', (m) => onOne.push(m.n));
        await two.subscribe('account:a:agents', (m) => onTwo.push(m.n));
        await one.publish('account:a:agents', { kind: 'frame', n: 7 });
        await two.publish('account:a:agents', { kind: 'frame', n: 8 });
        await eventually(() => expect(onOne).toEqual([7, 8]));
        await eventually(() => expect(onTwo).toEqual([7, 8]));
        await Promise.all([one.close(), two.close()]);
      },
    );
  });
}
