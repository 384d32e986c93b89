import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { loggedRoute } from './access-log/access-log.ts';
import { requestLanguage, type ServerLanguage } from './i18n/language.ts';
import { type MessageValues, translate } from './i18n/translate.ts';

/**
 * Every error the HTTP API can answer with, and its status. Clients branch on `code`; `message` is for people.
 * One table, so that the same failure has the same status on every route.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  owner_only: 403,
  cross_origin: 403,
  csrf_failed: 403,
  account_closed: 403,
  signup_closed: 403,
  invitation_required: 403,
  email_unconfirmed: 403,
  account_suspended: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  conversation_closed: 409,
  payload_too_large: 413,
  quota_exceeded: 413,
  unsupported_media_type: 415,
  invalid_input: 422,
  form_refused: 422,
  upgrade_required: 426,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  /** Values for the message's `{placeholders}`, filled in after it is translated. */
  values?: MessageValues;
  headers?: Record<string, string>;
}

/**
 * A failure the client is told about. `message` is a fixed English sentence, the key of its translations (see
 * `i18n/server-messages-de.ts`); what varies goes in `values`, written `{name}` in the sentence.
 */
export class AppError extends Error {
  readonly values: MessageValues;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.values = options.values ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

const statusToCode = (status: number): ErrorCode => {
  const match = (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
  return match?.[0] ?? (status >= 500 ? 'internal' : 'invalid_request');
};

/**
 * The first problem of a zod error, as one sentence naming the field; the problem is translated with it. A body is
 * `invalid_input` (422); a query string's parameters may say `invalid_request` (400).
 */
export function zodInputError(
  error: z.ZodError,
  code: 'invalid_input' | 'invalid_request' = 'invalid_input',
): AppError {
  const issue = error.issues[0];
  if (!issue) return new AppError(code, 'The request is not valid.');
  return issue.path.length > 0
    ? new AppError(code, '{field}: {problem}', {
        values: { field: issue.path.join('.'), problem: issue.message },
      })
    : new AppError(code, issue.message);
}

/** The language a request's messages are written in. */
export const languageOf = (c: Context): ServerLanguage => requestLanguage(c.req.header('accept-language'));

export interface ErrorLogger {
  error(message: string, error: unknown, fields?: Record<string, string>): void;
}

/** The app's one `onError`: every failure leaves as `{ error: { code, message } }` with the status of its code. */
export function errorHandler(log: ErrorLogger) {
  return (error: unknown, c: Context): Response => {
    const failure = error instanceof z.ZodError ? zodInputError(error) : error;
    if (failure instanceof AppError) {
      for (const [name, value] of Object.entries(failure.headers)) c.header(name, value);
      const message = translate(failure.message, languageOf(c), failure.values);
      return c.json<ErrorBody>({ error: { code: failure.code, message } }, failure.status);
    }
    if (error instanceof HTTPException) {
      const code = statusToCode(error.status);
      return c.json<ErrorBody>(
        { error: { code, message: error.message || code.replaceAll('_', ' ') } },
        ERROR_STATUS[code],
      );
    }
    // The message of an unexpected error may carry data: the client gets none of it, the log only its class, code
    // and stack frames (see `describeError`).
    log.error('unhandled error', error, { method: c.req.method, route: loggedRoute(c) });
    return c.json<ErrorBody>(
      { error: { code: 'internal', message: translate('Something went wrong on our side.', languageOf(c)) } },
      ERROR_STATUS.internal,
    );
  };
}

/** Reads and validates a JSON body. A body that is not JSON, or not this shape, is the client's error. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new AppError('unsupported_media_type', 'Send the request body as application/json.');
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('invalid_request', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw zodInputError(parsed.error);
  return parsed.data;
}

/**
 * Input the store refused field by field: 422 with every field's problem, so a form can show each beside its field.
 * The store writes them in English; they are translated here, by their English text, like every other message.
 */
export function fieldsRefused(c: Context, problems: Record<string, string>): Response {
  const language = languageOf(c);
  const fields = Object.fromEntries(
    Object.entries(problems).map(([field, problem]) => [field, translate(problem, language)]),
  );
  return c.json(
    { error: { code: 'invalid_input', message: Object.values(fields).join(' '), fields } },
    ERROR_STATUS.invalid_input,
  );
}

/** Runs a write of the store, returning its refusal of the input (an error of class `refusal`) instead of throwing. */
export async function orRefusal<T, E extends Error>(
  refusal: abstract new (...args: never[]) => E,
  write: () => Promise<T>,
): Promise<T | E> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof refusal) return error;
    throw error;
  }
}
