import { LIMITS } from '@parley/protocol';

// A deterministic corpus of hostile input: the same seed gives the same frames and bodies on every run, so a
// failure can be replayed. Nothing here is random at test time.

/** mulberry32: a small, fast PRNG with a 32-bit state; good enough to pick cases, and seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Pick {
  int(max: number): number;
  one<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

export function picker(random: () => number): Pick {
  return {
    int: (max) => Math.floor(random() * max),
    one: (list) => list[Math.floor(random() * list.length)]!,
    chance: (p) => random() < p,
  };
}

export type Payload =
  | { kind: 'text'; label: string; data: string }
  | { kind: 'binary'; label: string; data: Buffer }
  /** A text frame whose bytes are not UTF-8: the WebSocket layer must refuse it (1007). */
  | { kind: 'bad-utf8'; label: string; data: Buffer };

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(
  '\u007f',
  '\u2028',
  '\u2029',
  '\ufeff',
);
const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -0,
  '',
  ' ',
  '\u0000',
  [],
  {},
  [null],
  { length: 1 },
  'x'.repeat(5000),
  '😀'.repeat(100),
  '\ud800',
  Number.MAX_SAFE_INTEGER,
];

function nested(depth: number, open: string, close: string, core = '1'): string {
  return open.repeat(depth) + core + close.repeat(depth);
}

/** A frame the schema would accept, as the starting point for a mutation. */
function baseFrame(p: Pick, side: 'visitor' | 'agent'): Record<string, unknown> {
  const key = `key_${p.int(1e9)}`;
  const visitorFrames = [
    { type: 'send', key, text: 'hello there' },
    { type: 'typing', typing: true },
    { type: 'profile', name: 'Ann', email: 'ann@example.org' },
    { type: 'offline_message', key, email: 'ann@example.org', text: 'call me' },
    { type: 'transcript', email: 'ann@example.org' },
    { type: 'rate', rating: 4 },
    { type: 'ping' },
  ];
  const agentFrames = [
    { type: 'send', key, conversationId: 'cnv_x', text: 'hi' },
    { type: 'typing', conversationId: 'cnv_x', typing: false },
    { type: 'close', conversationId: 'cnv_x' },
    { type: 'status', online: true },
    { type: 'open', conversationId: 'cnv_x' },
  ];
  return { ...p.one(side === 'visitor' ? visitorFrames : agentFrames) };
}

/** One hostile WebSocket payload. Mutations are chosen to be refused by the schema or by the transport. */
export function hostileFrame(p: Pick, side: 'visitor' | 'agent'): Payload {
  const frame = baseFrame(p, side);
  const fields = Object.keys(frame).filter((k) => k !== 'type');
  switch (p.int(14)) {
    case 0:
      return { kind: 'binary', label: 'binary frame', data: Buffer.from(JSON.stringify(frame)) };
    case 1: {
      // Lone continuation bytes and overlongs: not UTF-8.
      const bad = p.one([
        Buffer.from([0xc3, 0x28]),
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xe2, 0x82]),
        Buffer.from([0xc0, 0xaf]),
      ]);
      return {
        kind: 'bad-utf8',
        label: 'invalid UTF-8',
        data: Buffer.concat([Buffer.from('{"type":"ping","x":"'), bad, Buffer.from('"}')]),
      };
    }
    case 2: {
      const size = LIMITS.maxFrameBytes + 1 + p.int(LIMITS.maxFrameBytes);
      return {
        kind: 'text',
        label: 'oversized JSON',
        data: JSON.stringify({ ...frame, pad: 'x'.repeat(size) }),
      };
    }
    case 3: {
      const depth = 100 + p.int(5000);
      const core = p.one(['[', '{"a":']) === '[' ? nested(depth, '[', ']') : nested(depth, '{"a":', '}');
      return { kind: 'text', label: 'deep nesting', data: p.chance(0.5) ? core : `{"type":${core}}` };
    }
    case 4: {
      // Prototype keys in place of the real ones: the schema sees no `type` it knows.
      const key = p.one(POLLUTION_KEYS);
      return {
        kind: 'text',
        label: 'prototype keys',
        data: `{"${key}":{"type":"${String(frame.type)}","polluted":true},"type":${JSON.stringify(p.one(['__proto__', 'constructor', 42, null]))}}`,
      };
    }
    case 5: {
      if (fields.length === 0)
        return {
          kind: 'text',
          label: 'wrong type: type',
          data: JSON.stringify({ type: p.one(WEIRD_VALUES.slice(0, 8)) }),
        };
      const field = p.one(fields);
      let value = p.one(WEIRD_VALUES);
      if (typeof value === typeof frame[field] && value !== '' && value !== ' ') value = [value];
      return {
        kind: 'text',
        label: `wrong type: ${field}`,
        data: JSON.stringify({ ...frame, [field]: value }),
      };
    }
    case 6:
      return {
        kind: 'text',
        label: 'unknown type',
        data: JSON.stringify({
          ...frame,
          type: p.one(['hello2', 'SEND', 'send ', 'admin', 'eval', '', 'welcome', 'ack', '__proto__']),
        }),
      };
    case 7: {
      const c = p.one(CONTROL);
      return {
        kind: 'text',
        label: 'control characters',
        data: p.chance(0.5)
          ? `${c}${JSON.stringify(frame)}`.replace('{', `{${c}${c}`)
          : `{"type":"${c}${String(frame.type)}"}`,
      };
    }
    case 8: {
      const text = JSON.stringify(frame);
      const cut = 1 + p.int(Math.max(1, text.length - 2));
      return { kind: 'text', label: 'truncated JSON', data: text.slice(0, cut) };
    }
    case 9:
      return {
        kind: 'text',
        label: 'not an object',
        data: p.one(['null', '[]', '42', '"send"', 'true', '', ' ', 'NaN', 'undefined', '[{"type":"ping"}]']),
      };
    case 10: {
      if (fields.length === 0) return { kind: 'text', label: 'missing type', data: '{}' };
      const { [p.one(fields)]: _dropped, ...rest } = frame;
      return { kind: 'text', label: 'missing field', data: JSON.stringify(rest) };
    }
    case 11:
      return {
        kind: 'text',
        label: 'too long text',
        data: JSON.stringify({
          ...frame,
          type: 'send',
          key: 'abcdefgh12',
          text: 'y'.repeat(LIMITS.maxMessageChars + 1 + p.int(2000)),
        }),
      };
    case 12:
      return {
        kind: 'text',
        label: 'bad key',
        data: JSON.stringify({
          type: 'send',
          key: p.one(['short', 'has space here', '../../etc', 'k'.repeat(65), '<script>']),
          text: 'hi',
        }),
      };
    default:
      return {
        kind: 'text',
        label: 'duplicate keys',
        data: `{"type":"ping","type":${JSON.stringify(p.one(['x', 1, null, {}]))}}`,
      };
  }
}

export interface HostileBody {
  label: string;
  contentType: string;
  body: string | Buffer;
}

/** One hostile body for a JSON route whose valid body looks like `valid`. */
export function hostileBody(p: Pick, valid: Record<string, unknown>): HostileBody {
  const json = 'application/json';
  const fields = Object.keys(valid);
  switch (p.int(10)) {
    case 0:
      return {
        label: 'not JSON',
        contentType: json,
        body: p.one(['{', '{"a":', "{'a':1}", 'undefined', '<xml/>', '{"a":1,}', 'NaN', '']),
      };
    case 1:
      return {
        label: 'wrong content type',
        contentType: p.one(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', '']),
        body: JSON.stringify(valid),
      };
    case 2:
      return {
        label: 'oversized',
        contentType: json,
        body: JSON.stringify({ ...valid, pad: 'z'.repeat(64 * 1024 + p.int(200_000)) }),
      };
    case 3: {
      const depth = 100 + p.int(20_000);
      return {
        label: 'deep nesting',
        contentType: json,
        body: p.chance(0.5) ? nested(depth, '[', ']') : `{"${p.one(fields)}":${nested(depth, '{"a":', '}')}}`,
      };
    }
    case 4:
      return {
        label: 'prototype keys',
        contentType: json,
        body: `{"${p.one(POLLUTION_KEYS)}":{"polluted":true,"role":"owner"},"${p.one(fields)}":${JSON.stringify(p.one(WEIRD_VALUES))}}`,
      };
    case 5: {
      const field = p.one(fields);
      return {
        label: `wrong type: ${field}`,
        contentType: json,
        body: JSON.stringify({ ...valid, [field]: p.one(WEIRD_VALUES) }),
      };
    }
    case 6:
      return {
        label: 'not an object',
        contentType: json,
        body: p.one(['null', '[]', '42', '"x"', 'true', '[{}]']),
      };
    case 7:
      return {
        label: 'invalid UTF-8',
        contentType: json,
        body: Buffer.concat([
          Buffer.from(`{"${p.one(fields)}":"`),
          Buffer.from([0xff, 0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
      };
    case 8:
      return {
        label: 'control characters',
        contentType: json,
        body: `{"${p.one(fields)}":"\u0000\u0001\u001b[31m"${p.one(CONTROL)}}`,
      };
    default:
      return {
        label: 'duplicate keys',
        contentType: json,
        body: `{"${p.one(fields)}":1,"${p.one(fields)}":[]}`,
      };
  }
}
