import { type ApiClient, messageOf } from '../api-client.ts';
import { busy, h, type View } from '../dom.ts';
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
  const title = 'Confirm your new sign-in email';
  const confirm = h('button', { type: 'button', class: 'button button-primary button-wide' }, 'Confirm');
  const card = authCard(
    title,
    h('p', null, 'This makes the address this link was mailed to your Parley sign-in email.'),
    confirm,
  );
  confirm.addEventListener('click', async () => {
    try {
      const { email } = await busy(card, () => options.api.confirmEmail(options.token));
      options.onDone(email);
    } catch (error) {
      fillCard(
        card,
        title,
        alertLine(messageOf(error)),
        h('p', { class: 'auth-aside' }, h('a', { href: '#/' }, 'Go to Parley')),
      );
    }
  });
  queueMicrotask(() => confirm.focus());
  return { element: h('main', { class: 'auth', id: 'main' }, card), destroy() {} };
}
