import { performance } from 'node:perf_hooks';
import { type Socket as IoSocket, io } from 'socket.io-client';
import WebSocket from 'ws';
import { SampleBuffer, summarizeLatencies } from '../latency-stats.ts';
import { cpuMsOf, ownCpuMs, treeCpuMsOf } from '../process-stats.ts';
import {
  decodeText,
  encodeText,
  type FromGenerator,
  type StepResult,
  type Target,
  type ToGenerator,
} from './generator-messages.ts';

/**
 * The load generator: runs in its own process (the bench forks it) so that the CPU it burns is measured apart from
 * the server's. It opens the agent and visitor sockets, then on each `step` sends 100-byte messages round-robin from
 * every visitor at a fixed aggregate rate (open loop: it does not wait for replies), and times each message from
 * the moment it was due until an agent socket receives it.
 */

type Frame = { type: string; [key: string]: unknown };

interface Conn {
  send(frame: Frame): void;
  close(): void;
}

function connectWs(
  url: string,
  headers: Record<string, string> | undefined,
  onFrame: (frame: Frame) => void,
  onClose: (code: number) => void,
  /** Handles a frame from its text without parsing it, when it can (keeps the generator's CPU for sending). */
  onText?: (text: string) => boolean,
): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on('message', (data) => {
      const text = data.toString();
      if (onText?.(text)) return;
      try {
        onFrame(JSON.parse(text));
      } catch {
        onFrame({ type: 'unparseable' });
      }
    });
    ws.once('open', () =>
      resolve({
        send: (frame) => ws.send(JSON.stringify(frame)),
        close: () => ws.terminate(),
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${url}: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.on('close', (code) => onClose(code));
  });
}

function connectIo(
  baseUrl: string,
  query: Record<string, string>,
  onFrame: (frame: Frame) => void,
  onClose: (code: number) => void,
): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket: IoSocket = io(baseUrl, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      query,
    });
    socket.onAny((event: string, payload: Record<string, unknown>) => onFrame({ ...payload, type: event }));
    socket.once('connect', () =>
      resolve({
        send: ({ type, ...payload }) => {
          socket.emit(type, payload);
        },
        close: () => {
          socket.disconnect();
        },
      }),
    );
    socket.once('connect_error', reject);
    socket.on('disconnect', () => onClose(1006));
  });
}

async function inBatches<T>(
  count: number,
  concurrency: number,
  open: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Generator {
  private target!: Target;
  private agents: Conn[] = [];
  private visitors: Conn[] = [];
  private errors: Record<string, number> = {};
  private conversations = new Set<string>();
  private closing = false;

  // Per-step counters; `step` 0 is the opening message that creates each conversation.
  private step = 0;
  private acked = 0;
  private delivered = 0;
  private windowStart = Number.POSITIVE_INFINITY;
  private windowEnd = Number.NEGATIVE_INFINITY;
  private windowDelivered = 0;
  /** Messages of this step or an earlier one (a backlog) that reached an agent during the window. */
  private windowDeliveredAny = 0;
  private latencies = new SampleBuffer();
  private stopRequested: (() => void) | null = null;

  private count(key: string) {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  private onAgentFrame = (agent: () => Conn | undefined) => (frame: Frame) => {
    if (frame.type === 'message') {
      const message = frame.message as { author?: string; text?: string } | undefined;
      if (message?.author !== 'visitor' || typeof message.text !== 'string') return;
      const decoded = decodeText(message.text);
      if (!decoded) return;
      const now = performance.now();
      const inWindow = now >= this.windowStart && now < this.windowEnd;
      if (inWindow) this.windowDeliveredAny++;
      if (decoded.step !== this.step) return;
      this.delivered++;
      if (inWindow) this.windowDelivered++;
      if (decoded.dueMs >= this.windowStart && decoded.dueMs < this.windowEnd)
        this.latencies.push(now - decoded.dueMs);
    } else if (frame.type === 'conversation') {
      const id = (frame.conversation as { id?: string } | undefined)?.id;
      if (id && !this.conversations.has(id)) {
        this.conversations.add(id);
        if (this.target.agentOpensConversations) agent()?.send({ type: 'open', conversationId: id });
      }
    } else if (frame.type === 'snapshot') {
      const list = (frame.conversations as Array<{ id: string }> | undefined) ?? [];
      for (const c of list) this.conversations.add(c.id);
    } else if (frame.type === 'error') {
      this.count(`agent:${String(frame.code)}`);
    }
  };

  private onVisitorFrame = (frame: Frame) => {
    if (frame.type === 'ack') {
      const key = String(frame.key ?? '');
      if (key.startsWith(`k${this.step}_`)) this.acked++;
    } else if (frame.type === 'error') {
      this.count(`visitor:${String(frame.code)}`);
    }
  };

  /** Acks are most of what visitors receive; counting them from the text spares a JSON.parse each. */
  private onVisitorText = (text: string): boolean => {
    if (!text.startsWith('{"type":"ack"')) return false;
    if (text.includes(`"key":"k${this.step}_`)) this.acked++;
    return true;
  };

  private onClose = (who: string) => (code: number) => {
    if (!this.closing) this.count(`${who}-closed:${code}`);
  };

  async setup(target: Target, idle: boolean, concurrency: number): Promise<FromGenerator> {
    this.target = target;
    const started = performance.now();
    const wsBase = target.baseUrl.replace(/^http/, 'ws');
    const agentBaseUrl = target.agentBaseUrl ?? target.baseUrl;
    const agentWsBase = agentBaseUrl.replace(/^http/, 'ws');

    const withAgents = target.accounts.filter((account) => account.agentPath !== null);
    this.agents = await Promise.all(
      withAgents.map((account, i) => {
        const onFrame = this.onAgentFrame(() => this.agents[i]);
        return target.transport === 'ws'
          ? connectWs(
              `${agentWsBase}${account.agentPath}`,
              account.agentHeaders,
              onFrame,
              this.onClose('agent'),
            )
          : connectIo(
              agentBaseUrl,
              { role: 'agent', account: account.publicKey },
              onFrame,
              this.onClose('agent'),
            );
      }),
    );

    const total = target.accounts.length * target.visitorsPerAccount;
    this.visitors = await inBatches(total, concurrency, async (i) => {
      const account = target.accounts[i % target.accounts.length]!;
      let welcomed!: () => void;
      const welcome = new Promise<void>((r) => {
        welcomed = r;
      });
      const onFrame = (frame: Frame) => {
        if (frame.type === 'welcome') welcomed();
        else this.onVisitorFrame(frame);
      };
      const conn =
        target.transport === 'ws'
          ? await connectWs(
              `${wsBase}/ws/visitor?account=${encodeURIComponent(account.publicKey)}`,
              target.visitorHeaders,
              onFrame,
              this.onClose('visitor'),
              this.onVisitorText,
            )
          : await connectIo(
              target.baseUrl,
              { role: 'visitor', account: account.publicKey },
              onFrame,
              this.onClose('visitor'),
            );
      conn.send({ type: 'hello', persistent: true, page: 'https://customer.example/shop', locale: 'en' });
      await welcome;
      return conn;
    });

    if (!idle) {
      // One message per visitor opens its conversation, so that creating conversations is not part of any step.
      this.step = 0;
      this.acked = 0;
      this.delivered = 0;
      this.visitors.forEach((v, i) => {
        v.send({
          type: 'send',
          key: `k0_${String(i).padStart(8, '0')}`,
          text: encodeText(0, i, performance.now()),
        });
      });
      const deadline = performance.now() + 60_000;
      while ((this.acked < total || this.delivered < total) && performance.now() < deadline) await sleep(20);
      if (this.delivered < total) this.count('opening-not-delivered');
    }
    return {
      type: 'ready',
      visitors: this.visitors.length,
      agents: this.agents.length,
      setupMs: Math.round(performance.now() - started),
      conversations: this.conversations.size,
      errors: { ...this.errors },
    };
  }

  /** Ends an open-ended step now. */
  stop() {
    this.stopRequested?.();
  }

  async runStep(
    rate: number,
    warmupMs: number,
    measureMs: number | null,
    drainMs: number,
  ): Promise<StepResult> {
    this.step++;
    this.acked = 0;
    this.delivered = 0;
    this.windowDelivered = 0;
    this.windowDeliveredAny = 0;
    this.latencies.clear();
    this.errors = {};
    const step = this.step;
    const n = this.visitors.length;
    const start = performance.now();
    this.windowStart = start + warmupMs;
    this.windowEnd = measureMs === null ? Number.POSITIVE_INFINITY : this.windowStart + measureMs;
    let total =
      measureMs === null ? Number.POSITIVE_INFINITY : Math.round((rate * (warmupMs + measureMs)) / 1000);
    const perMs = rate / 1000;
    let sent = 0;
    let maxLag = 0;
    let cpuAtStart = 0;
    let serverCpuAtStart: number | null = null;
    let cpuMs = 0;
    let serverCpuMs: number | null = null;
    let databaseCpuAtStart: number | null = null;
    let databaseCpuMs: number | null = null;
    const pid = this.target.serverPid;
    const databasePid = this.target.databasePid;
    const others = Object.entries(this.target.otherPids ?? {});
    let othersAtStart: number[] = [];
    let otherCpuMs: Record<string, number> = {};

    const openWindow = () => {
      othersAtStart = others.map(([, otherPid]) => treeCpuMsOf(otherPid));
      cpuAtStart = ownCpuMs();
      serverCpuAtStart = pid ? cpuMsOf(pid) : null;
      databaseCpuAtStart = databasePid ? treeCpuMsOf(databasePid) : null;
    };
    const closeWindow = () => {
      otherCpuMs = Object.fromEntries(
        others.map(([name, otherPid], i) => [name, Math.round(treeCpuMsOf(otherPid) - othersAtStart[i]!)]),
      );
      cpuMs = ownCpuMs() - cpuAtStart;
      serverCpuMs = pid && serverCpuAtStart !== null ? cpuMsOf(pid) - serverCpuAtStart : null;
      databaseCpuMs =
        databasePid && databaseCpuAtStart !== null ? treeCpuMsOf(databasePid) - databaseCpuAtStart : null;
    };
    const windowOpens = setTimeout(openWindow, warmupMs);
    const windowCloses = new Promise<void>((resolve) => {
      if (measureMs !== null) {
        setTimeout(() => {
          closeWindow();
          resolve();
        }, warmupMs + measureMs);
        return;
      }
      this.stopRequested = () => {
        this.stopRequested = null;
        this.windowEnd = performance.now();
        if (this.windowEnd < this.windowStart) {
          clearTimeout(windowOpens);
          openWindow();
          this.windowStart = this.windowEnd;
        }
        closeWindow();
        total = sent;
        resolve();
      };
    });

    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        const due = Math.min(total, Math.floor((now - start) * perMs));
        if (due > sent) maxLag = Math.max(maxLag, now - (start + sent / perMs));
        while (sent < due) {
          const dueAt = start + sent / perMs;
          const key = `k${step}_${String(sent).padStart(8, '0')}`;
          this.visitors[sent % n]!.send({ type: 'send', key, text: encodeText(step, sent, dueAt) });
          sent++;
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 1);
    });
    await windowCloses;
    clearTimeout(windowOpens);
    const windowMs = this.windowEnd - this.windowStart;

    const drainStart = performance.now();
    while ((this.delivered < sent || this.acked < sent) && performance.now() - drainStart < drainMs)
      await sleep(10);

    return {
      type: 'step',
      rate,
      sent,
      acked: this.acked,
      delivered: this.delivered,
      deliveredPerSec: Math.round((this.windowDelivered * 1000) / windowMs),
      deliveredInWindow: this.windowDeliveredAny,
      latency: summarizeLatencies(this.latencies.values()),
      errors: { ...this.errors },
      windowMs: Math.round(windowMs),
      generatorCpuMs: Math.round(cpuMs),
      serverCpuMs: serverCpuMs === null ? null : Math.round(serverCpuMs),
      databaseCpuMs: databaseCpuMs === null ? null : Math.round(databaseCpuMs),
      otherCpuMs,
      maxSendLagMs: Math.round(maxLag * 10) / 10,
      drainedMs: Math.round(performance.now() - drainStart),
    };
  }

  close() {
    this.closing = true;
    for (const c of [...this.visitors, ...this.agents]) c.close();
  }
}

const generator = new Generator();
const reply = (message: FromGenerator) => process.send?.(message);

process.on('message', async (message: ToGenerator) => {
  try {
    if (message.cmd === 'setup') {
      reply(await generator.setup(message.target, message.idle ?? false, message.connectConcurrency ?? 100));
    } else if (message.cmd === 'step') {
      reply(await generator.runStep(message.rate, message.warmupMs, message.measureMs, message.drainMs));
    } else if (message.cmd === 'stop') {
      generator.stop();
    } else if (message.cmd === 'close') {
      generator.close();
      reply({ type: 'closed' });
      setTimeout(() => process.exit(0), 50);
    }
  } catch (error) {
    reply({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
