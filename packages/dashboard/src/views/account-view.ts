import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Account, AccountUpdate } from '../api-types.ts';
import { copyText } from '../clipboard.ts';
import { busy, checkbox, feedback, field, fill, h, type View } from '../dom.ts';
import { downloadJson, exportFilename } from '../download.ts';
import { confirmDialog } from './dialog.ts';
import { page, section } from './page.ts';

export interface AccountViewOptions {
  api: ApiClient;
  /** Product news and closing the account are the account holder's own decisions; admins see neither. */
  isOwner: boolean;
  /** The account changed (its name shows in the header). */
  onAccountChanged(account: Account): void;
  /** The account was closed: the session is over. */
  onClosed(): void;
}

/**
 * RET-2: the owner (and admins) see and correct the account's data, and manage keys and export; the owner alone
 * chooses about product news and closes the account.
 */
export function accountView(options: AccountViewOptions): View {
  const { api } = options;
  const details = h('div', null, h('p', null, 'Loading the account…'));
  const widget = h('div');
  const detailsStatus = feedback();
  let organization = '';

  const renderDetails = (account: Account) => {
    organization = account.organization;
    const input = (value: string | null | undefined, attrs: Record<string, string | number | boolean>) =>
      h('input', { value: value ?? '', ...attrs });
    const org = input(account.organization, {
      type: 'text',
      required: true,
      maxlength: 120,
      autocomplete: 'organization',
    });
    const contactName = input(account.contactName, { type: 'text', maxlength: 80, autocomplete: 'name' });
    const contactEmail = input(account.contactEmail, {
      type: 'email',
      maxlength: 254,
      autocomplete: 'email',
    });
    const phone = input(account.phone, { type: 'tel', maxlength: 40, autocomplete: 'tel' });
    const imHandle = input(account.imHandle, { type: 'text', maxlength: 120, autocomplete: 'off' });
    const form = h(
      'form',
      { class: 'stack-form' },
      field('Organization', org),
      field('Contact name', contactName),
      field('Contact email', contactEmail),
      field('Phone', phone, 'Optional.'),
      field('Instant-messaging handle', imHandle, 'Optional.'),
      h('button', { type: 'submit', class: 'button button-primary' }, 'Save changes'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      detailsStatus.clear();
      const update: AccountUpdate = {
        organization: org.value.trim(),
        contactName: contactName.value.trim(),
        contactEmail: contactEmail.value.trim(),
        phone: phone.value.trim(),
        imHandle: imHandle.value.trim(),
      };
      try {
        const saved = await busy(form, () => api.updateAccount(update));
        const updated = saved ?? { ...account, ...update };
        organization = updated.organization;
        options.onAccountChanged(updated);
        detailsStatus.success('Saved.');
      } catch (error) {
        detailsStatus.error(messageOf(error));
      }
    });
    fill(details, form);
    fill(
      widget,
      h(
        'p',
        null,
        'Each website you put the chat on has its own snippet and settings, including the pre-chat form, on the ',
        h('a', { href: '#/websites' }, 'Websites'),
        ' page.',
      ),
    );
  };

  api
    .account()
    .then(renderDetails)
    .catch((error: unknown) => {
      fill(details);
      detailsStatus.error(describeFailure(error, 'Account details'));
    });

  // ---- API key ----
  const keyStatus = feedback();
  const keyResult = h('div', { class: 'one-time', hidden: true });
  const rotate = h('button', { type: 'button', class: 'button' }, 'Create a new API key');
  rotate.addEventListener('click', async () => {
    keyStatus.clear();
    const confirmed = await confirmDialog({
      title: 'Create a new API key?',
      body: [
        'The new key replaces the current one: anything using the current key stops working until you give it the new one.',
        'The new key is shown only once.',
      ],
      confirmLabel: 'Create new key',
    });
    if (!confirmed) return;
    try {
      const { apiKey } = await busy(rotate, () => api.rotateApiKey());
      const keyInput = h('input', { type: 'text', readonly: true, value: apiKey, class: 'mono' });
      const copy = h('button', { type: 'button', class: 'button' }, 'Copy key');
      const copyStatus = feedback();
      copy.addEventListener('click', async () => {
        if (await copyText(apiKey, keyInput)) copyStatus.success('Copied.');
        else copyStatus.info('Press Ctrl+C (or ⌘C) to copy the selected key.');
      });
      fill(
        keyResult,
        h(
          'p',
          null,
          'Store this key now, in a password manager or your server\u2019s secrets. It will not be shown again.',
        ),
        h('div', { class: 'copy-row' }, field('API key', keyInput), copy),
        copyStatus.element,
      );
      keyResult.hidden = false;
      keyInput.focus();
      keyInput.select();
    } catch (error) {
      keyStatus.error(messageOf(error));
    }
  });

  // ---- marketing ----
  const marketingBody = h('div', null, h('p', null, 'Loading…'));
  const marketingStatus = feedback();
  if (options.isOwner)
    api
      .marketing()
      .then(({ optedIn }) => {
        const box = h('input', { checked: optedIn });
        box.addEventListener('change', async () => {
          marketingStatus.clear();
          const wanted = box.checked;
          try {
            await busy(marketingBody, () => api.setMarketing(wanted));
            marketingStatus.success(wanted ? 'You will get product news.' : 'You will not get product news.');
          } catch (error) {
            box.checked = !wanted;
            marketingStatus.error(messageOf(error));
          }
        });
        fill(
          marketingBody,
          checkbox(
            'Send me product news from Parley by email',
            box,
            'Only with your consent; every email has a one-click unsubscribe link.',
          ),
        );
      })
      .catch((error: unknown) => {
        fill(marketingBody);
        marketingStatus.error(describeFailure(error, 'The marketing preference'));
      });

  // ---- export ----
  const exportStatus = feedback();
  const exportButton = h('button', { type: 'button', class: 'button' }, 'Download account data (JSON)');
  exportButton.addEventListener('click', async () => {
    exportStatus.clear();
    try {
      const data = await busy(exportButton, () => api.exportAccount());
      downloadJson(data, exportFilename('account'));
      exportStatus.success('The download has started.');
    } catch (error) {
      exportStatus.error(describeFailure(error, 'Account export'));
    }
  });

  // ---- close ----
  const closeStatus = feedback();
  const closeButton = h('button', { type: 'button', class: 'button button-danger' }, 'Close this account…');
  closeButton.addEventListener('click', async () => {
    closeStatus.clear();
    if (!organization) {
      closeStatus.error('The account details have not loaded yet.');
      return;
    }
    const confirmed = await confirmDialog({
      title: 'Close this account?',
      body: [
        'The chat widget stops working on your website and every agent is signed out.',
        'Parley keeps the account\u2019s data only for the period the privacy policy lists for closed accounts, then erases it. Download your data first if you want to keep it.',
      ],
      confirmLabel: 'Close account',
      danger: true,
      typeToConfirm: {
        label: `Type the organization name, ${organization}, to confirm`,
        expected: organization,
      },
    });
    if (!confirmed) return;
    try {
      await busy(closeButton, () => api.closeAccount(organization));
      options.onClosed();
    } catch (error) {
      closeStatus.error(describeFailure(error, 'Closing an account'));
    }
  });

  return {
    element: page(
      'Account',
      'Your organization\u2019s details. Correct them here at any time.',
      section('Details', details, detailsStatus.element),
      section('Chat widget', widget),
      section(
        'API key',
        h('p', null, 'For the REST API. Creating a new key retires the current one.'),
        rotate,
        keyStatus.element,
        keyResult,
      ),
      options.isOwner ? section('Product news', marketingBody, marketingStatus.element) : null,
      section(
        'Your data',
        h('p', null, 'Everything Parley holds about this account, as one JSON file.'),
        exportButton,
        exportStatus.element,
      ),
      options.isOwner
        ? h(
            'section',
            { class: 'card card-danger' },
            h('h2', null, 'Close account'),
            h('p', null, 'Stops Parley for your organization and starts the erasure of its data.'),
            closeButton,
            closeStatus.element,
          )
        : null,
    ),
    destroy() {},
  };
}
