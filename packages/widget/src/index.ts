// What other packages use from the widget: the server serves dist/widget.js and dist/chat.js at these paths.
// The browser code itself is in the bundles, built by scripts/build.ts.

export { type KeyedFrame, Outbox } from './outbox.ts';
export { RECONNECT, reconnectDelay } from './reconnect-delay.ts';
export {
  CHAT_SCRIPT_PATH,
  LAUNCHER_SCRIPT_PATH,
  PRIVACY_PATH,
  VISITOR_SOCKET_PATH,
  visitorSocketUrl,
} from './routes.ts';
/** Every word the widget shows, so that tests of the server can name what a visitor reads. */
export { type Lang, STRINGS } from './strings.ts';
export { launcherScriptFor, SETTINGS_MARKER, websiteLauncherPath } from './website-script.ts';

/** The built files, as URLs of files on disk: `fileURLToPath(widgetBundle.launcher)`. Run the build first. */
export const widgetBundle = {
  launcher: new URL('../dist/widget.js', import.meta.url),
  chat: new URL('../dist/chat.js', import.meta.url),
} as const;
