import { field, h, uid } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

export interface ConfirmOptions {
  title: string;
  /** Paragraphs explaining what happens. */
  body: readonly string[];
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  /**
   * Form controls the dialog asks for besides the confirmation (a transfer's target and note, a block's period): the
   * caller reads them once confirmed.
   */
  fields?: readonly Node[];
  /** The agent must type this exact text before confirming (closing an account). */
  typeToConfirm?: { label: string; expected: string };
}

/**
 * A modal confirmation on the native `<dialog>`: it traps focus, Escape cancels, and focus returns to the control
 * that opened it. Focus starts on Cancel, so Enter never destroys anything by accident.
 */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uid('dialog-title');
  const cancel = h(
    'button',
    { type: 'button', class: 'button', autofocus: true },
    options.cancelLabel ?? t('dialog.cancel'),
  );
  const confirm = h(
    'button',
    { type: 'submit', class: options.danger ? 'button button-danger' : 'button button-primary' },
    options.confirmLabel,
  );
  let typed: HTMLInputElement | null = null;
  if (options.typeToConfirm) {
    const expected = options.typeToConfirm.expected;
    typed = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
    confirm.disabled = true;
    typed.addEventListener('input', () => {
      confirm.disabled = typed?.value.trim() !== expected;
    });
  }
  const form = h(
    'form',
    { method: 'dialog', class: 'dialog-form' },
    h('h2', { id: titleId }, options.title),
    options.body.map((paragraph) => h('p', null, paragraph)),
    options.fields ?? null,
    typed ? field(options.typeToConfirm?.label ?? '', typed) : null,
    h('div', { class: 'dialog-actions' }, cancel, confirm),
  );
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let result = false;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (confirm.disabled) return;
      result = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(result);
    });
    dialog.showModal();
    cancel.focus();
  });
}
