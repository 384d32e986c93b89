/**
 * How an alert reaches the agent outside the page itself: the tab's title and icon, a short sound, a desktop
 * notification. Each is a thin wrapper over one browser API, so the decisions stay in `alerts.ts`.
 */

const TITLE = 'Parley';
/** The icon the server serves for every page; the badge replaces it while there is something to count. */
const PLAIN_ICON = '/favicon.ico';

/** The tab title for a count: `(3) Parley`, or the plain name when nothing waits. */
export const badgeTitle = (count: number): string => (count > 0 ? `(${count}) ${TITLE}` : TITLE);

/** A round icon with the count, as an SVG data URL (the pages' Content-Security-Policy allows `data:` images). */
export function badgeIcon(count: number): string {
  const label = count > 9 ? '9+' : String(count);
  const size = label.length > 1 ? 15 : 19;
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<circle cx="16" cy="16" r="16" fill="#c62828"/>' +
    `<text x="16" y="${16 + size * 0.36}" font-family="Arial,sans-serif" font-size="${size}" ` +
    `font-weight="700" text-anchor="middle" fill="#fff">${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Shows `count` in the tab's title and icon. */
export function showBadge(count: number): void {
  document.title = badgeTitle(count);
  let link = document.head.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  const href = count > 0 ? badgeIcon(count) : PLAIN_ICON;
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
}

/**
 * A two-note chime synthesised with WebAudio, so no sound file is downloaded. Browsers let a page make sound only
 * after the person interacted with it: the audio context is made on the first key or pointer press.
 */
export function createChime(): { play(): void; stop(): void } {
  let context: AudioContext | null = null;
  const unlock = () => {
    if (context || typeof AudioContext === 'undefined') return;
    context = new AudioContext();
  };
  window.addEventListener('pointerdown', unlock, { once: true, capture: true });
  window.addEventListener('keydown', unlock, { once: true, capture: true });

  const note = (audio: AudioContext, frequency: number, start: number) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.3);
  };

  return {
    play() {
      const audio = context;
      if (!audio) return;
      const sound = () => {
        note(audio, 880, audio.currentTime);
        note(audio, 1320, audio.currentTime + 0.12);
      };
      if (audio.state === 'suspended') audio.resume().then(sound, () => {});
      else sound();
    },
    stop() {
      window.removeEventListener('pointerdown', unlock, { capture: true });
      window.removeEventListener('keydown', unlock, { capture: true });
      void context?.close();
      context = null;
    },
  };
}

export const desktopNotificationsSupported = (): boolean => typeof Notification !== 'undefined';

/**
 * Asks for permission to show desktop notifications. Browsers allow the question only in answer to a gesture, and
 * the agent should be asked only when they chose desktop alerts, so the profile's switch calls this.
 */
export async function askForDesktopNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!desktopNotificationsSupported()) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

/**
 * Shows a desktop notification, if the agent allowed them; clicking it brings the tab forward and calls `onClick`.
 * The `tag` replaces an older notification for the same chat instead of piling them up.
 */
export function showDesktopNotification(title: string, body: string, tag: string, onClick: () => void): void {
  if (!desktopNotificationsSupported() || Notification.permission !== 'granted') return;
  const notification = new Notification(title, { body, tag, lang: document.documentElement.lang });
  notification.addEventListener('click', () => {
    window.focus();
    notification.close();
    onClick();
  });
}
