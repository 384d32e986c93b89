// A website's proactive greeting: what the launcher says by itself after a visitor has spent some seconds on one of
// the website's pages, before they do anything. The launcher carries it in its own script and matches the page's
// path itself, so that nothing is requested or stored for it (CK-7).

/** As an owner sets it. */
export interface ProactiveGreetingSettings {
  text: string;
  /** Seconds on a page before the launcher says it. */
  after: number;
  /** Paths it is for, `/pricing` or `/blog/*` (`*` stands for anything, `/*` for every page). */
  paths: string[];
}

/** Short, because it rides in the launcher every page loads, within the launcher's size budget. */
export const PROACTIVE_TEXT_MAX = 140;
export const PROACTIVE_AFTER_MAX = 600;
export const PROACTIVE_PATHS_MAX = 5;
export const PROACTIVE_PATH_MAX = 100;

/** The greeting as it will be stored, its fields' problems put in `fields` by name; null for none. */
export function checkProactiveGreeting(
  greeting: ProactiveGreetingSettings | null,
  fields: Record<string, string>,
): ProactiveGreetingSettings | null {
  if (!greeting) return null;
  const text = greeting.text.trim();
  if (text.length === 0) fields.proactiveText = 'Write what the greeting says, or turn it off.';
  else if (text.length > PROACTIVE_TEXT_MAX)
    fields.proactiveText = `The proactive greeting may have at most ${PROACTIVE_TEXT_MAX} characters.`;
  if (!Number.isInteger(greeting.after) || greeting.after < 0 || greeting.after > PROACTIVE_AFTER_MAX)
    fields.proactiveAfter = `The delay is a whole number of seconds from 0 to ${PROACTIVE_AFTER_MAX}.`;
  const paths = [...new Set(greeting.paths.map((path) => path.trim()).filter((path) => path !== ''))];
  if (paths.length === 0)
    fields.proactivePaths = 'Name at least one page, e.g. /pricing, or /* for every page.';
  else if (paths.length > PROACTIVE_PATHS_MAX)
    fields.proactivePaths = `Name at most ${PROACTIVE_PATHS_MAX} pages.`;
  else {
    const wrong = paths.find((path) => !isPathPattern(path));
    if (wrong !== undefined)
      fields.proactivePaths = `“${wrong}” is not a path: start it with /, at most ${PROACTIVE_PATH_MAX} characters, without ? or #.`;
  }
  return { text, after: greeting.after, paths };
}

const isPathPattern = (path: string): boolean =>
  path.startsWith('/') && path.length <= PROACTIVE_PATH_MAX && !/[?#\s]/.test(path);

/**
 * The regular expression source the launcher tests `location.pathname` with: each path whole, `*` for any run of
 * characters, and a trailing slash optional (`/pricing` is also `/pricing/`). Everything else is literal: a path
 * can never make a pattern that matches more than it says, or one that is slow to match.
 */
export function pathsPattern(paths: readonly string[]): string {
  const one = (path: string): string => {
    const literal = path
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    return literal.endsWith('.*') || literal.endsWith('\\/') ? literal : `${literal}\\/?`;
  };
  return `^(?:${paths.map(one).join('|')})$`;
}
