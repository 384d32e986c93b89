import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { TestSocket } from '../testing/test-app.ts';
import { signInCookie, startTestParley, type TestParley } from '../testing/test-parley.ts';

// LOG-1, RET-4: a whole Parley through one chat, as an operator runs it: what it logs, and what its admin listener
// tells Prometheus.

/** One sample of a scrape: the value of `name` with exactly these labels, 0 when the series is not there yet. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

let running: TestParley;
const logged: string[] = [];
const marker = `zq${randomBytes(6).toString('hex')}`;
const visitorName = `Marla ${marker}`;
const visitorEmail = `${marker}@example.test`;
const messageText = `My order ${marker} has not arrived`;
let before = '';
let after = '';
let chatPortMetrics = 0;

beforeAll(async () => {
  const out = new PassThrough();
  out.on('data', (chunk) => logged.push(String(chunk)));
  // No operator named: the start warns about it, so the log holds at least that line.
  running = await startTestParley({ PARLEY_OPERATOR_NAME: '', PARLEY_PRIVACY_CONTACT: '' }, undefined, {
    log: createLogger({ destination: out, human: false }),
  });
  const { addresses, parley } = running;
  const demo = parley.demo!;
  const metricsUrl = `${new URL(addresses.admin!).origin}/metrics`;
  before = await (await fetch(metricsUrl)).text();

  const ws = addresses.chat.replace(/^http/, 'ws');
  const agent = new TestSocket(`${ws}/ws/agent`, {
    origin: addresses.chat,
    cookie: await signInCookie(addresses.chat, demo.email, demo.password),
  });
  await agent.next('snapshot');
  const visitor = new TestSocket(`${ws}/ws/visitor?account=${demo.publicKey}`, {
    origin: 'https://shop.example',
  });
  visitor.send({ type: 'hello', persistent: true });
  await visitor.next('welcome');
  visitor.send({ type: 'profile', name: visitorName, email: visitorEmail });
  await visitor.next('done');
  visitor.send({ type: 'send', key: 'observed-message', text: messageText });
  await visitor.next('ack', (frame) => frame.key === 'observed-message');
  await agent.next('message');

  after = await (await fetch(metricsUrl)).text();
  chatPortMetrics = (await fetch(`${addresses.chat}/metrics`)).status;
  await running.stop();
});

afterAll(() => running?.remove());

describe('what a running Parley tells its operator', () => {
  it('LOG-1: every line it logs is JSON, and none holds the visitor’s email, name or message', () => {
    const lines = logged
      .join('')
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
      for (const personal of [marker, visitorEmail, visitorName, messageText])
        expect(line).not.toContain(personal);
    }
  });

  it('counts the open sockets, the stored message and its delivery on the admin listener’s /metrics', () => {
    expect(sample(after, 'parley_websocket_connections', 'kind="visitor"')).toBe(1);
    expect(sample(after, 'parley_websocket_connections', 'kind="agent"')).toBe(1);
    expect(sample(after, 'parley_messages_stored_total', 'sender="visitor"')).toBe(
      sample(before, 'parley_messages_stored_total', 'sender="visitor"') + 1,
    );
    expect(sample(after, 'parley_message_delivery_seconds_count')).toBe(
      sample(before, 'parley_message_delivery_seconds_count') + 1,
    );
    expect(after).toMatch(/^parley_queue_depth\{queue="message_writer"\} \d+$/m);
    expect(after).toMatch(/^parley_queue_depth\{queue="bus_publish"\} \d+$/m);
    expect(after).toMatch(/^parley_mail_outbox\{state="pending"\} \d+$/m);
    expect(after).toMatch(/^parley_mail_outbox\{state="failed"\} \d+$/m);
    expect(after).toMatch(/^parley_process_cpu_user_seconds_total /m);
  });

  it('names nobody and no account in the metrics', () => {
    const demo = running.parley.demo!;
    for (const personal of [marker, demo.publicKey, demo.email]) expect(after).not.toContain(personal);
  });

  it('serves no metrics on the public chat port', () => {
    expect(chatPortMetrics).toBe(404);
  });
});
