import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { handOffToProcessor, listHandoffs, UnknownProcessorError } from './processor-handoff.ts';
import { createTestDatabase } from './testing/index.ts';

const policy = contentInForce(parleyPolicy);

describe('SHR-1: a processor is handed only the fields declared for it', () => {
  it('drops every undeclared field before sending, and records the hand-off without values', async () => {
    const db = await createTestDatabase();
    let received: Record<string, unknown> = {};
    const result = await handOffToProcessor(
      db,
      policy,
      {
        processorId: 'payments',
        activity: 'take_payments',
        accountId: 'acc_acme',
        fields: {
          'user.contact.email': 'olivia@acme.test',
          'user.financial.credit_card': 'tok_123',
          'user.content.private': 'chat text',
          'user.device.ip_address': '203.0.113.0',
        },
      },
      async (fields) => {
        received = fields;
        return 'ok';
      },
    );
    expect(received).toEqual({
      'user.contact.email': 'olivia@acme.test',
      'user.financial.credit_card': 'tok_123',
    });
    expect(result.dropped.sort()).toEqual(['user.content.private', 'user.device.ip_address']);
    const [record] = await listHandoffs(db);
    expect(JSON.parse(record!.sent_fields)).toEqual(['user.contact.email', 'user.financial.credit_card']);
    expect(JSON.stringify(record)).not.toContain('olivia@acme.test');
  });

  it('refuses an undeclared processor, or an activity that does not use it', async () => {
    const db = await createTestDatabase();
    const send = async () => 'sent';
    await expect(
      handOffToProcessor(
        db,
        policy,
        { processorId: 'ad-network', activity: 'take_payments', fields: {} },
        send,
      ),
    ).rejects.toThrow(/no processor "ad-network"/);
    await expect(
      handOffToProcessor(db, policy, { processorId: 'payments', activity: 'provide_chat', fields: {} }, send),
    ).rejects.toThrow(/does not use processor/);
  });

  it('SHR-1: records nothing and sends nothing for a hand-off it refuses', async () => {
    const db = await createTestDatabase();
    let sent = 0;
    await expect(
      handOffToProcessor(
        db,
        policy,
        {
          processorId: 'ad-network',
          activity: 'take_payments',
          fields: { 'user.contact.email': 'x@y.test' },
        },
        async () => {
          sent++;
        },
      ),
    ).rejects.toThrow(UnknownProcessorError);
    expect(sent).toBe(0);
    expect(await listHandoffs(db)).toEqual([]);
  });

  it('SHR-1: lists hand-offs newest first, as many as asked for', async () => {
    const db = await createTestDatabase();
    const handOff = (now: number) =>
      handOffToProcessor(
        db,
        policy,
        {
          processorId: 'payments',
          activity: 'take_payments',
          fields: { 'user.contact.email': 'a@b.test' },
          now,
        },
        async () => 'ok',
      );
    await handOff(1);
    await handOff(3);
    await handOff(2);
    expect((await listHandoffs(db)).map((h) => h.created_at)).toEqual([3, 2, 1]);
    expect(await listHandoffs(db, 1)).toEqual([
      {
        id: expect.stringMatching(/^hnd_/),
        processor_id: 'payments',
        activity: 'take_payments',
        account_id: null,
        sent_fields: '["user.contact.email"]',
        dropped_fields: '[]',
        created_at: 3,
      },
    ]);
  });
});
