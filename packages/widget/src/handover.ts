import type { HostCommand } from './host-api.ts';
import type { Lang } from './language-choice.ts';

// The launcher and chat.js are separate bundles that meet on one window property. The launcher fills it in before
// it loads chat.js; chat.js mounts into the same shadow root and sets `toggle`, which later clicks go to.

export interface WidgetHandover {
  /** The Parley server's origin, from the launcher's own `src`. */
  origin: string;
  /** The website's public key: its baked settings' `key`, or `data-account` on the plain `/widget.js` tag. */
  account: string;
  /**
   * The launcher's own `<script>`. Its `data-gpc="1"` or `data-dnt="1"` passes on a signal the page's own request
   * carried (`Sec-GPC: 1`, `DNT: 1`) where the browser does not show it to scripts (SIG-1).
   */
  script: HTMLScriptElement;
  /** The element on the host page that holds the shadow root. */
  host: HTMLElement;
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  /** The language the launcher chose; chat.js for it is the one loaded. */
  lang: Lang;
  /** The website's label, shown on the launcher; its accessible name starts with it. */
  label?: string;
  /** The website's colour (`#rrggbb`) when its settings name one, and the text colour readable on it. */
  color?: [background: string, text: string];
  /** The proactive greeting the launcher showed, which the chat then starts with. */
  greeting?: string;
  /** Set by chat.js once mounted: opens or closes the panel. */
  toggle?: () => void;
  /** Commands of the page's `Parley` API that wait for chat.js, in the order given (see host-api.ts). */
  queue: HostCommand[];
  /** Set by chat.js once mounted: runs one command of the page's API. */
  run?: (command: HostCommand) => void;
}

export const HANDOVER_KEY = '__parleyWidget';

export type HandoverWindow = typeof globalThis & { [HANDOVER_KEY]?: WidgetHandover };
