import { messageOf } from '../api-client.ts';
import type { EnrolmentOffer } from '../api-types.ts';
import { busy, type Child, feedback, field, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { qrSvg } from '../qr-svg.ts';

// SEC-1: the pieces of a second factor's pages: the code field, setting up an authenticator app (QR code drawn
// here as SVG, and the key as text), and the recovery codes, shown once.

/** The field for a code from the app or a recovery code: text, since recovery codes hold letters. */
export const codeInput = (): HTMLInputElement =>
  h('input', {
    type: 'text',
    name: 'code',
    autocomplete: 'one-time-code',
    required: true,
    maxlength: 32,
    spellcheck: false,
  });

/** A form with one code field whose submit runs `send`; a refusal is shown in the form and the field cleared. */
export function codeForm(options: {
  label: string;
  hint: string;
  button: string;
  send(code: string): Promise<void>;
}): { form: HTMLFormElement; code: HTMLInputElement } {
  const code = codeInput();
  const status = feedback();
  const form = h(
    'form',
    { class: 'auth-form' },
    field(options.label, code, options.hint),
    status.element,
    h('button', { type: 'submit', class: 'button button-primary' }, options.button),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    try {
      await busy(form, () => options.send(code.value.trim()));
    } catch (error) {
      status.error(messageOf(error));
      code.value = '';
      code.focus();
    }
  });
  return { form, code };
}

/** What to set an authenticator app up with, and the form for its first code. */
export function enrolmentPanel(offer: EnrolmentOffer, confirm: (code: string) => Promise<void>): HTMLElement {
  const { form } = codeForm({
    label: t('secondFactor.codeFromApp'),
    hint: t('secondFactor.codeHint'),
    button: t('secondFactor.turnOn'),
    send: confirm,
  });
  return h(
    'div',
    { class: 'enrolment' },
    h('p', null, t('secondFactor.scan')),
    h('div', { class: 'qr-frame' }, qrSvg(offer.qr, t('secondFactor.qr'))),
    h('p', null, t('secondFactor.key'), ' ', h('code', { class: 'secret' }, offer.secret)),
    form,
  );
}

/** The recovery codes, shown once, with what they are for. */
export function recoveryCodesPanel(codes: readonly string[], ...after: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'recovery' },
    h('p', null, t('secondFactor.saveCodes')),
    h(
      'ul',
      { class: 'recovery-codes', 'aria-label': t('secondFactor.recoveryCodes') },
      codes.map((code) => h('li', null, h('code', null, code))),
    ),
    after,
  );
}
