// The widget builds its DOM with these and nothing else: text goes in as text nodes, never as markup, so a message
// can never become HTML on a customer's page.

export type Child = Node | string | false | null | undefined;
export type Attributes = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 24×24 stroked icon from one path; hidden from screen readers, whose label comes from the button. */
export function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const shape = document.createElementNS(SVG, 'path');
  shape.setAttribute('d', path);
  svg.appendChild(shape);
  return svg;
}

// One constant per icon, so a bundle carries only the paths it draws.
export const CHAT_ICON =
  'M4 6.5A2.5 2.5 0 0 1 6.5 4h11A2.5 2.5 0 0 1 20 6.5v7a2.5 2.5 0 0 1-2.5 2.5H10l-4 3.5V16h.5A2.5 2.5 0 0 1 4 13.5z';
export const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';
export const SEND_ICON = 'M5 12h13M12 5l7 7-7 7';
export const ATTACH_ICON =
  'M20 11.5l-7.8 7.8a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8';

/** The launcher's accessible name: what it does, after the website's label when the button shows one. */
export const accessibleName = (label: string | undefined, action: string): string =>
  label ? `${label} – ${action}` : action;
