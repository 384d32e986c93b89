import type { LauncherSettings } from '@parley/protocol';

// A website's own launcher: the launcher bundle with the website's settings written into it, served at
// `websiteLauncherPath(key)`. The settings ride in the one script the page already loads, so the launcher makes no
// request before the visitor acts (CK-7).

/** The string in the launcher bundle that the settings replace: a JavaScript string literal's contents. */
export const SETTINGS_MARKER = '%PARLEY_WEBSITE%';

/** Where a website's launcher is served: `<script src="https://HOST/w/KEY/widget.js" async>`. */
export const websiteLauncherPath = (key: string): string => `/w/${encodeURIComponent(key)}/widget.js`;

/**
 * The launcher bundle `bundle` with `settings` in place of its marker, as the contents of the string literal the
 * marker sits in. Written so that no setting can end the literal or the script: quotes, backslashes, `<` and the
 * line separators JavaScript treats as line ends are escaped.
 */
export function launcherScriptFor(bundle: string, settings: LauncherSettings): string {
  const at = bundle.indexOf(SETTINGS_MARKER);
  if (at < 0 || bundle.indexOf(SETTINGS_MARKER, at + 1) >= 0)
    throw new Error('the launcher bundle must hold the settings marker exactly once');
  const literal = JSON.stringify(JSON.stringify(settings))
    .slice(1, -1)
    .replace(/'/g, '\\u0027')
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return bundle.slice(0, at) + literal + bundle.slice(at + SETTINGS_MARKER.length);
}
