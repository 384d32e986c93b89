// The launcher and chat.js are separate bundles that meet on one window property. The launcher fills it in before
// it loads chat.js; chat.js mounts into the same shadow root and sets `toggle`, which later clicks go to.

export interface WidgetHandover {
  /** The Parley server's origin, from the launcher's own `src`. */
  origin: string;
  /** The account's public key, from `data-account`. */
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
  /** Set by chat.js once mounted: opens or closes the panel. */
  toggle?: () => void;
}

export const HANDOVER_KEY = '__parleyWidget';

export type HandoverWindow = typeof globalThis & { [HANDOVER_KEY]?: WidgetHandover };
