import type { Lang } from './language-choice.ts';
import { chatScriptPath } from './routes.ts';

// What other packages use from the widget: the server serves dist/widget.js and dist/chat.<lang>.js at these paths.
// The browser code itself is in the bundles, built by scripts/build.ts.

/** Every word the widget shows, so that tests of the server can name what a visitor reads. */
export { STRINGS, STRINGS as WIDGET_STRINGS } from './all-languages.ts';
export { LANGUAGES, LAUNCHER_LABELS, type Lang, pickLanguage } from './language-choice.ts';
export { type KeyedFrame, Outbox } from './outbox.ts';
export { RECONNECT, reconnectDelay } from './reconnect-delay.ts';
export {
  CHAT_SCRIPT_PATH,
  chatScriptPath,
  FILES_PATH,
  fileUploadPath,
  LAUNCHER_SCRIPT_PATH,
  PRIVACY_PATH,
  VISITOR_SOCKET_PATH,
  visitorSocketUrl,
} from './routes.ts';
export { plural, type Strings } from './strings.ts';
export { readableOn } from './theme.ts';
export { launcherScriptFor, SETTINGS_MARKER, websiteLauncherPath } from './website-script.ts';

/** The built files, as URLs of files on disk: `fileURLToPath(widgetBundle.launcher)`. Run the build first. */
export const widgetBundle = {
  launcher: new URL('../dist/widget.js', import.meta.url),
  chat: new URL('../dist/chat.js', import.meta.url),
  /** The chat UI in one language: `dist/chat.js` in English, `dist/chat.<lang>.js` in the others. */
  chatIn: (lang: Lang): URL =>
    new URL(`../dist${chatScriptPath(lang).slice('/widget'.length)}`, import.meta.url),
} as const;
