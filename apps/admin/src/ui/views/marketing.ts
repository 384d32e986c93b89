import { api } from '../api.ts';
import { confirmAction, field, h, notice } from '../dom.ts';
import { plural } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

export async function marketingView(ctx: ViewContext): Promise<HTMLElement> {
  const audience = await api.marketing.audience.query();
  const subject = h('input', { name: 'subject', required: true, maxlength: 150, autocomplete: 'off' });
  const body = h('textarea', { name: 'body', required: true, rows: 10, maxlength: 20000 });
  const status = h('div');
  const submit = h(
    'button',
    { type: 'submit', class: 'button primary', disabled: !audience.available },
    'Queue the email',
  );
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field('Subject', subject),
    field(
      'Message',
      body,
      'Plain text. Each copy ends with its own one-click unsubscribe link; you do not need to add one.',
    ),
    h('div', { class: 'actions' }, submit),
    status,
  );
  if (!audience.available) for (const control of [subject, body]) control.disabled = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const yes = await confirmAction({
      title: 'Send this marketing email?',
      body: `It goes to the ${plural(audience.recipients, 'account holder')} who opted in, and to nobody else.`,
      confirm: 'Queue the email',
    });
    if (!yes) return;
    const ok = await act(ctx, submit, status, async () => {
      const r = await api.marketing.send.mutate({ subject: subject.value, body: body.value });
      return `Queued for ${plural(r.queued, 'account holder')}.`;
    });
    if (ok) form.reset();
  });

  return h(
    'div',
    {},
    pageHeader(
      'Marketing email',
      'Product news for account holders who opted in. Everyone else is left out, and every copy carries an unsubscribe link that works in one click.',
      ['COM-2'],
    ),
    audience.available
      ? notice('info', `${plural(audience.recipients, 'account holder')} opted in and would receive it.`)
      : notice(
          'warn',
          'Marketing email is off: this console was started on its own, without the chat server that signs the unsubscribe links. Open the console through the chat server to send it.',
        ),
    section('Compose', form),
  );
}
