import { type ApiClient, messageOf } from '../api-client.ts';
import { busy, h, type View } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { alertLine, authCard, fillCard } from './recovery-view.ts';

/**
 * RET-2: the page a new sign-in email's confirmation link opens. Confirming takes a click, so that a mail scanner
 * that follows the link confirms nothing.
 */
export function confirmEmailView(options: {
  api: ApiClient;
  token: string;
  onDone(email: string): void;
}): View {
  const title = t('confirmEmail.title');
  const confirm = h(
    'button',
    { type: 'button', class: 'button button-primary button-wide' },
    t('confirmEmail.confirm'),
  );
  const card = authCard(title, h('p', null, t('confirmEmail.text')), confirm);
  confirm.addEventListener('click', async () => {
    try {
      const { email } = await busy(card, () => options.api.confirmEmail(options.token));
      options.onDone(email);
    } catch (error) {
      fillCard(
        card,
        title,
        alertLine(messageOf(error)),
        h('p', { class: 'auth-aside' }, h('a', { href: '#/' }, t('confirmEmail.goToParley'))),
      );
    }
  });
  queueMicrotask(() => confirm.focus());
  return { element: h('main', { class: 'auth', id: 'main' }, card), destroy() {} };
}
