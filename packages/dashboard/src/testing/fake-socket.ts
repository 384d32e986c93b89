import type { AgentFrame, ServerToAgent } from '@parley/protocol';
import type { SocketLike } from '../agent-socket.ts';

/** A browser WebSocket stand-in for tests: records what is sent, and opens, delivers and closes on command. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: AgentFrame[] = [];
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as AgentFrame);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(frame: ServerToAgent) {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}
