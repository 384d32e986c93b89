import { EMOJI_PALETTE } from '@parley/protocol/emoji';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

/** Buttons per row of the palette, for the arrow keys: the style sheet draws the same grid. */
const COLUMNS = 8;

/** Where an arrow, Home or End key moves focus from button `at` among `count`; undefined for other keys. */
export function paletteMove(key: string, at: number, count: number): number | undefined {
  const moves: Record<string, number> = {
    ArrowRight: at + 1,
    ArrowLeft: at - 1,
    ArrowDown: at + COLUMNS,
    ArrowUp: at - COLUMNS,
    Home: 0,
    End: count - 1,
  };
  const next = moves[key];
  return next === undefined ? undefined : Math.min(count - 1, Math.max(0, next));
}

/**
 * A button that opens a small grid of emoji beside a text box; choosing one puts it where the caret is (replacing
 * a selection), as if typed, and returns focus to the text box. Arrow keys move within the grid, Escape closes it.
 */
export function emojiPalette(target: HTMLTextAreaElement, id: string): HTMLElement {
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'button emoji-toggle',
      'aria-label': t('conversation.emojiInsert'),
      'aria-expanded': 'false',
      'aria-controls': id,
    },
    '🙂',
  );
  const choices = EMOJI_PALETTE.map((emoji) => h('button', { type: 'button', class: 'emoji-choice' }, emoji));
  const grid = h(
    'div',
    { class: 'emoji-grid', id, role: 'group', 'aria-label': t('conversation.emojiPalette'), hidden: true },
    choices,
  );
  const show = (shown: boolean) => {
    grid.hidden = !shown;
    toggle.setAttribute('aria-expanded', String(shown));
  };

  toggle.addEventListener('click', () => {
    show(grid.hidden);
    if (!grid.hidden) choices[0]?.focus();
  });
  grid.addEventListener('click', (event) => {
    const choice = (event.target as Element).closest('button');
    if (!choice) return;
    target.setRangeText(choice.textContent ?? '', target.selectionStart, target.selectionEnd, 'end');
    show(false);
    target.focus();
    // The typing signal and anything else listening hear of it as of a key typed.
    target.dispatchEvent(new Event('input', { bubbles: true }));
  });
  grid.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      show(false);
      toggle.focus();
      return;
    }
    const at = choices.indexOf(event.target as HTMLButtonElement);
    const next = paletteMove(event.key, at, choices.length);
    if (at < 0 || next === undefined) return;
    event.preventDefault();
    choices[next]?.focus();
  });
  // Clicking or tabbing anywhere else closes it, as a menu would.
  grid.addEventListener('focusout', (event) => {
    const to = event.relatedTarget as Node | null;
    if (to && !grid.contains(to) && to !== toggle) show(false);
  });
  return h('div', { class: 'emoji-palette' }, toggle, grid);
}
