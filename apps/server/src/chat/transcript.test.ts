import type { MessageRecord } from '@parley/db/chat';
import { describe, expect, it } from 'vitest';
import { transcriptMail } from './transcript.ts';

const message = (body: string, file: MessageRecord['file'] = null): MessageRecord => ({
  id: `msg_${body}`,
  conversationId: 'cnv_one',
  accountId: 'acc_one',
  visitorId: 'vis_one',
  author: 'visitor',
  agentId: null,
  agentName: null,
  body,
  clientKey: `key_${body}`,
  createdAt: Date.UTC(2026, 11, 7, 10, 0),
  file,
});

describe('a transcript mailed to the visitor', () => {
  it('names a file sent in the chat, in their language, and carries nothing of the file itself', () => {
    const file = {
      id: 'fil_one',
      name: 'Lageplan.pdf',
      contentType: 'application/pdf',
      size: 4096,
      width: null,
      height: null,
    };
    const { body } = transcriptMail(
      { startedAt: Date.UTC(2026, 11, 7, 9, 58) },
      [message('Hallo'), message('Lageplan.pdf', file)],
      { organization: 'Acme', language: 'de' },
    );
    expect(body).toContain('Sie: Hallo');
    expect(body).toContain('Sie: [Datei: Lageplan.pdf]');
    expect(body).not.toContain('/files/');
  });
});
