import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './server-frame.ts';

const message = { id: 'm1', conversationId: 'c1', author: 'visitor', text: 'Hi', at: '2025-03-04T09:00:00Z' };
const note = { id: 'n1', conversationId: 'c1', authorName: 'Ana', text: 'VIP', at: '2025-03-04T09:01:00Z' };
const conversation = { id: 'c1', status: 'waiting', visitor: {}, startedAt: '2025-03-04T09:00:00Z' };
const file = {
  name: 'plan.png',
  type: 'image/png',
  size: 2048,
  width: 40,
  height: 30,
  url: '/files/fil_1/file?e=1&s=x',
  thumbUrl: '/files/fil_1/thumbnail?e=1&s=y',
};

describe('parseServerFrame', () => {
  it.each([
    {
      type: 'snapshot',
      agent: { id: 'a', name: 'Ana', online: true },
      conversations: [conversation],
      agentsOnline: 1,
    },
    {
      type: 'snapshot',
      agent: { id: 'a', name: 'Ana', online: true },
      conversations: [conversation],
      agentsOnline: 1,
      resume: 'reload',
    },
    { type: 'conversation', conversation: { ...conversation, lastMessage: message } },
    {
      type: 'conversation',
      conversation: { ...conversation, status: 'closed', closedBy: { by: 'visitor' } },
    },
    {
      type: 'conversation',
      conversation: { ...conversation, status: 'closed', closedBy: { by: 'agent', name: 'Ana' } },
    },
    { type: 'history', conversationId: 'c1', messages: [message] },
    { type: 'history', conversationId: 'c1', messages: [message], notes: [note] },
    { type: 'message', message },
    { type: 'message', message: { ...message, text: 'plan.png', file } },
    { type: 'note', note },
    { type: 'typing', conversationId: 'c1', typing: true },
    { type: 'seen', conversationId: 'c1', by: 'visitor', id: 'm1', at: '2025-03-04T09:01:00Z' },
    {
      type: 'conversation',
      conversation: { ...conversation, seenByVisitor: { id: 'm1', at: '2025-03-04T09:01:00Z' } },
    },
    { type: 'ack', key: 'k1234567', id: 'm1', at: '2025-03-04T09:00:00Z' },
    { type: 'presence', agentsOnline: 2 },
    { type: 'error', code: 'rate_limited', message: 'Slow down', key: 'k1234567' },
    { type: 'pong' },
  ])('accepts $type', (frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[1]'],
    ['an unknown type', '{"type":"welcome"}'],
    ['an inherited key as type', '{"type":"toString"}'],
    ['a message without text', JSON.stringify({ type: 'message', message: { ...message, text: undefined } })],
    [
      "a file whose link is not the server's",
      JSON.stringify({
        type: 'message',
        message: { ...message, file: { ...file, url: 'javascript:alert(1)' } },
      }),
    ],
    [
      'a message with an unknown author',
      JSON.stringify({ type: 'message', message: { ...message, author: 'bot' } }),
    ],
    [
      'a conversation closed by an agent without a name',
      JSON.stringify({ type: 'conversation', conversation: { ...conversation, closedBy: { by: 'agent' } } }),
    ],
    [
      'a conversation with a bad status',
      JSON.stringify({ type: 'conversation', conversation: { ...conversation, status: 'open' } }),
    ],
    [
      'a snapshot that resumes in an unknown way',
      JSON.stringify({
        type: 'snapshot',
        agent: { id: 'a', name: 'Ana', online: true },
        conversations: [],
        agentsOnline: 1,
        resume: 'partly',
      }),
    ],
    [
      'a seen receipt without its time',
      JSON.stringify({ type: 'seen', conversationId: 'c1', by: 'visitor', id: 'm1' }),
    ],
    [
      'a conversation seen without a message id',
      JSON.stringify({ type: 'conversation', conversation: { ...conversation, seenByVisitor: { at: 'x' } } }),
    ],
    ['a note without text', JSON.stringify({ type: 'note', note: { ...note, text: undefined } })],
    ['a history that is not a list', JSON.stringify({ type: 'history', conversationId: 'c1', messages: {} })],
  ])('rejects %s', (_label, raw) => {
    expect(parseServerFrame(raw)).toBeNull();
  });

  it('rejects binary frames', () => {
    expect(parseServerFrame(new ArrayBuffer(4))).toBeNull();
  });
});
