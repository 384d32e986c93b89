import { handOffToProcessor, type ParleyDb } from '@parley/db';
import type { PolicyContent } from '@parley/policy';
import type { MailTransport } from './mailer.ts';

/**
 * SHR-1: an SMTP relay is the policy's "email-delivery" processor, so every message sent through it is a recorded
 * hand-off, and the relay is given only the categories the policy declares for it. Writing mail to files hands
 * nothing to anyone and is passed through as it is.
 */
export function recordedTransport(
  db: ParleyDb,
  /** The policy content in force when each message is sent. */
  content: () => PolicyContent,
  transport: MailTransport,
): MailTransport {
  if (transport.kind !== 'smtp') return transport;
  return {
    kind: transport.kind,
    close: () => transport.close(),
    discard: (mailId) => transport.discard(mailId),
    async send(mail, from) {
      await handOffToProcessor(
        db,
        content(),
        {
          processorId: 'email-delivery',
          activity: mail.kind === 'marketing' ? 'market_to_customers' : 'send_service_email',
          fields: {
            'user.contact.email': mail.to,
            'user.content.private': { subject: mail.subject, body: mail.body },
          },
        },
        async (sent) => {
          const to = sent['user.contact.email'];
          const message = sent['user.content.private'] as { subject: string; body: string } | undefined;
          if (typeof to !== 'string' || !message)
            throw new Error('the policy does not let the mail relay receive this message');
          await transport.send({ ...mail, to, subject: message.subject, body: message.body }, from);
        },
      );
    },
  };
}
