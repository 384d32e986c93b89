/** A browser's and an operating system's family, as agents see them: never a version, never the User-Agent itself. */
export interface UserAgentFamily {
  browser: string | null;
  system: string | null;
}

/**
 * Browsers by a token their User-Agent carries, most specific first: Edge, Opera and Samsung Internet also say
 * "Chrome", and every browser on iOS says "Safari".
 */
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:Edg|Edge|EdgA|EdgiOS)\//, 'Edge'],
  [/\b(?:OPR|Opera|OPiOS)\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|HeadlessChrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

/** Systems by a token, most specific first: Android and ChromeOS also say "Linux", iPads may say "Mac OS X". */
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\b(?:Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** The longest User-Agent read: real ones are a few hundred characters; a longer one is not worth a scan. */
const USER_AGENT_MAX = 1024;

const firstMatch = (table: ReadonlyArray<[RegExp, string]>, text: string): string | null =>
  table.find(([pattern]) => pattern.test(text))?.[1] ?? null;

/** The browser and system family of a User-Agent header; null for what is missing, unknown or a bot. */
export function userAgentFamily(userAgent: string | null | undefined): UserAgentFamily {
  if (!userAgent || userAgent.length > USER_AGENT_MAX || /bot|crawler|spider/i.test(userAgent))
    return { browser: null, system: null };
  return { browser: firstMatch(BROWSERS, userAgent), system: firstMatch(SYSTEMS, userAgent) };
}
