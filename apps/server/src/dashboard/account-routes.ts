import { exportAccount } from '@parley/db';
import { rotateApiKey, updateAccount, writeAudit } from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { AppError, readJson } from '../errors.ts';
import { fieldsGiven, refuseUndeclared } from '../privacy/undeclared-data.ts';
import type { AppEnv, Services } from '../services.ts';
import { accountJson } from './dashboard-json.ts';

// RET-2: account holders see and correct their own data here, at any time.

/** An empty string clears an optional field, as an emptied form field means. */
const clearable = <T extends z.ZodType>(schema: T) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
      schema.nullable(),
    )
    .optional();

export const AccountChanges = z
  .strictObject({
    organization: z.string().trim().min(1, { message: 'the organisation needs a name' }).max(120).optional(),
    contactName: clearable(z.string().trim().max(120)),
    contactEmail: clearable(
      z
        .string()
        .trim()
        .max(254)
        .pipe(z.email({ message: 'the contact email address is not valid' })),
    ),
    phone: clearable(
      z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()./-]{3,40}$/, {
          message: 'the phone number may hold digits, spaces and + ( ) . / -',
        }),
    ),
    imHandle: clearable(z.string().trim().max(120)),
    preChatForm: z.boolean().optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'send at least one field to change',
  });
export type AccountChanges = z.infer<typeof AccountChanges>;

export function accountRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  routes.get('/account', guarded, (c) => c.json(accountJson(c.get('auth').account)));

  routes.patch('/account', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const changes = await readJson(c, AccountChanges);
    refuseUndeclared(s, 'accounts', fieldsGiven(changes));
    const updated = await updateAccount(s.db, account.id, changes);
    if (!updated) throw new AppError('not_found', 'This account no longer exists.');
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: agent.id,
      accountId: account.id,
      action: 'account.updated',
      detail: {
        fields: Object.keys(changes).filter((k) => changes[k as keyof AccountChanges] !== undefined),
      },
    });
    return c.json(accountJson(updated));
  });

  /** RET-2: everything held about the account, in one JSON document. */
  routes.get('/account/export', guarded, async (c) => {
    const { account } = c.get('auth');
    const document = await exportAccount(s.db, account.id);
    c.header('Content-Disposition', `attachment; filename="parley-account-${account.id}.json"`);
    return c.json(document);
  });

  /** A new API key for the customer API, shown once; the old one stops working at once. */
  routes.post('/api-key', guarded, async (c) => {
    const { agent, account } = c.get('auth');
    const apiKey = await rotateApiKey(s.db, account.id);
    if (!apiKey) throw new AppError('not_found', 'This account no longer exists.');
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: agent.id,
      accountId: account.id,
      action: 'api_key.rotated',
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ apiKey });
  });

  return routes;
}
