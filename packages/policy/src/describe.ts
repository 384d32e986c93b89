import { describeDuration } from './duration.ts';
import type { CookieLifetime, Retention } from './schema.ts';

export const describeLifetime = (lifetime: CookieLifetime): string =>
  lifetime === 'session' ? 'Until the browser closes' : describeDuration(lifetime);

const EVENT_WORDS: Record<Retention['after'], string> = {
  collected: 'it is collected',
  last_activity: 'the last activity',
  conversation_closed: 'the conversation is closed',
  account_closed: 'the account is closed',
  agent_removed: 'the person is removed from the account',
  session_ended: 'the session ends',
  request_completed: 'the request is completed',
  sent: 'it is sent',
};

export const describeRetention = (r: Retention): string =>
  r.keep === 'P0D'
    ? `Deleted when ${EVENT_WORDS[r.after]}`
    : `${describeDuration(r.keep)} after ${EVENT_WORDS[r.after]}`;
