import type { ServerToVisitor, VisitorFrame } from '@parley/protocol';
import type { SocketLike } from '../src/chat-session.ts';

/** A WebSocket the test drives by hand: open it, feed it frames, drop it; it keeps every frame the client sent. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: VisitorFrame[] = [];
  closedWith: number | undefined;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: the socket is not open');
    this.sent.push(JSON.parse(data) as VisitorFrame);
  }

  close(code = 1000): void {
    this.readyState = 3;
    this.closedWith = code;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame: ServerToVisitor | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** The frames sent of one type. */
  sentOf<T extends VisitorFrame['type']>(type: T): Extract<VisitorFrame, { type: T }>[] {
    return this.sent.filter((frame): frame is Extract<VisitorFrame, { type: T }> => frame.type === type);
  }
}
