import type { Lang } from './language-choice.ts';

// Where the widget's pieces live on a Parley server. The launcher and chat.js build their URLs from these, and the
// server imports them from `@parley/widget`, so both sides agree on one spelling.

/** The launcher customers embed: `<script src="https://HOST/widget.js" data-account="KEY" async>`. */
export const LAUNCHER_SCRIPT_PATH = '/widget.js';
/** The chat UI in English, fetched only once the visitor opens the chat (CK-7). */
export const CHAT_SCRIPT_PATH = '/widget/chat.js';
/** The chat UI in one language: `/widget/chat.js` in English, `/widget/chat.de.js` in German, and so on. */
export const chatScriptPath = (lang: Lang): string => `/widget/chat${lang === 'en' ? '' : `.${lang}`}.js`;
/** The visitor's WebSocket; the account's public key goes in the `account` query parameter. */
export const VISITOR_SOCKET_PATH = '/ws/visitor';
/** Where the files of chats are served, by signed links the server hands out: `/files/<id>/<variant>?e=…&s=…`. */
export const FILES_PATH = '/files';
/** Where a visitor's widget uploads a file to the chat, with the token the socket gave it (`upload_token`). */
export const fileUploadPath = (key: string): string => `/w/${encodeURIComponent(key)}/files`;
/** The widget links to the part of the policy that describes its cookies. */
export const PRIVACY_PATH = '/privacy#CK-3';

/** `ws://` for an `http://` origin, `wss://` for `https://`. */
export const visitorSocketUrl = (origin: string, account: string): string =>
  `${origin.replace(/^http/, 'ws')}${VISITOR_SOCKET_PATH}?account=${encodeURIComponent(account)}`;
