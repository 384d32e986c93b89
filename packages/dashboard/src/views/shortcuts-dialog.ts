import { h, uid } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { SHORTCUTS } from '../shortcuts.ts';

/**
 * The list of keyboard shortcuts, in a modal `<dialog>` (Escape or Done closes it, focus returns to where it was).
 * Only one is shown at a time.
 */
export function showShortcutsDialog(): void {
  if (document.querySelector('dialog.shortcuts-dialog')) return;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uid('shortcuts-title');
  const done = h('button', { type: 'submit', class: 'button button-primary' }, t('shortcuts.done'));
  const form = h(
    'form',
    { method: 'dialog', class: 'dialog-form' },
    h('h2', { id: titleId }, t('shortcuts.title')),
    h('p', null, t('shortcuts.intro')),
    h(
      'dl',
      { class: 'shortcut-list' },
      SHORTCUTS.map((shortcut) => [
        h('dt', null, h('kbd', null, shortcut.keys)),
        h('dd', null, t(shortcut.label)),
      ]),
    ),
    h('div', { class: 'dialog-actions' }, done),
  );
  const dialog = h('dialog', { class: 'dialog shortcuts-dialog', 'aria-labelledby': titleId }, form);
  document.body.append(dialog);
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  dialog.showModal();
  done.focus();
}
