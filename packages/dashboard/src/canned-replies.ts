/**
 * Canned replies in the reply box: typing `/` at the start opens the account's replies, filtered by what follows;
 * the one chosen replaces the box's text with its placeholders filled in. Pure functions, so the rules are tested
 * without a browser; the view wires them to the box's keys.
 */

/** A canned reply as the dashboard API lists it. */
export interface CannedReplyChoice {
  id: string;
  shortName: string;
  body: string;
}

/**
 * The placeholders a canned reply may hold, written as in the management page: `{visitor.name}` is the visitor's
 * name, `{agent.name}` the name visitors see for the agent who inserts it. Anything else in braces stays as written.
 */
export const PLACEHOLDERS = ['{visitor.name}', '{agent.name}'] as const;

/**
 * The filter `text` asks for: what follows a `/` at the very start of the box, up to the first space or line, lower
 * case; null when the box does not start with a `/` command (a slash inside a sentence opens nothing).
 */
export function slashQuery(text: string): string | null {
  const match = /^\/([^\s/]*)$/.exec(text);
  return match ? (match[1] ?? '').toLowerCase() : null;
}

/**
 * The replies matching `query`: short names that start with it first, then those containing it elsewhere, each
 * group by short name. An empty query lists them all.
 */
export function filterCannedReplies<T extends CannedReplyChoice>(replies: readonly T[], query: string): T[] {
  const byName = [...replies].sort((a, b) => a.shortName.localeCompare(b.shortName));
  const starting = byName.filter((reply) => reply.shortName.startsWith(query));
  const containing = byName.filter(
    (reply) => !reply.shortName.startsWith(query) && reply.shortName.includes(query),
  );
  return [...starting, ...containing];
}

/**
 * A reply's text with its placeholders filled in. A visitor who gave no name is greeted by `visitorFallback` (in
 * English "there": "Hello {visitor.name}" reads "Hello there").
 */
export function fillPlaceholders(
  body: string,
  names: { visitor: string | null | undefined; agent: string; visitorFallback: string },
): string {
  const visitor = names.visitor?.trim() || names.visitorFallback;
  return body.replaceAll('{visitor.name}', visitor).replaceAll('{agent.name}', names.agent);
}

/** Where the highlighted option moves on a key of the open list, wrapping at either end; null for other keys. */
export function movedIndex(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return (index + 1) % count;
  if (key === 'ArrowUp') return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}
