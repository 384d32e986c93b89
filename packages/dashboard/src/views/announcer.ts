import { h } from '../dom.ts';

/**
 * A visually hidden live region for events a screen reader user would otherwise miss: a new waiting chat, a new
 * visitor message in the open conversation, a change of connection.
 */
export interface Announcer {
  element: HTMLElement;
  say(text: string): void;
}

export function createAnnouncer(): Announcer {
  const element = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'false' });
  return {
    element,
    say(text) {
      // One node per announcement, pruned, so repeated identical texts are still read.
      element.append(h('p', null, text));
      while (element.childElementCount > 5) element.firstElementChild?.remove();
    },
  };
}
