/**
 * Finds the links in a chat message, for the widget and the dashboard alike. Kept apart from the frame schemas so
 * that both browser bundles can import it without zod. It returns text and links, not markup: each side builds DOM
 * nodes from the parts, so a message can never become HTML.
 *
 * Only `http:`, `https:` and `mailto:` become links (a bare `www.` address is taken as `https:`); anything else,
 * `javascript:` and `data:` among them, stays text. A link ends at white space, quotes, angle brackets, control
 * characters and the invisible format characters that can make an address read differently from where it leads
 * (zero-width joiners and spaces, soft hyphens, bidirectional controls). Punctuation that ends a sentence is left out of the link.
 */

/** A piece of a message: plain text, or a link with the text shown and the address it opens. */
export type MessagePart = string | { text: string; href: string };

/** The `rel` of every link in a message: no access to the opener, no referrer, no ranking credit. */
export const LINK_REL = 'noopener noreferrer nofollow ugc';

const CANDIDATE = /\b(?:https?:\/\/|mailto:|www\.)[^\s<>"'`\p{Cc}\p{Cf}]+/giu;

/** Punctuation that ends a sentence rather than an address, or a closing bracket the link did not open. */
const TRAILING = /[.,:;!?*\]}]$|^[^(]*\)$/;

/** The address `link` opens: an `http:` one needs a host with a dot, a `mailto:` one an address with a domain. */
function hrefOf(link: string): string | undefined {
  try {
    const url = new URL(/^www\./i.test(link) ? `https://${link}` : link);
    if (url.protocol === 'mailto:' ? /@.+\./.test(url.pathname) : url.hostname.includes('.')) return url.href;
  } catch {
    // Not an address at all, such as `https://` alone: it stays text.
  }
  return undefined;
}

/** `text` cut into plain text and links, in order; adjacent text is kept in one piece. */
export function linkify(text: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    let link = match[0];
    while (TRAILING.test(link)) link = link.slice(0, -1);
    const href = hrefOf(link);
    if (!href) continue;
    const at = match.index ?? 0;
    if (at > from) parts.push(text.slice(from, at));
    parts.push({ text: link, href });
    from = at + link.length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}
