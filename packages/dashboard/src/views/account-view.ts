import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Account, AccountUpdate } from '../api-types.ts';
import { copyText } from '../clipboard.ts';
import { busy, checkbox, feedback, field, fill, h, type View } from '../dom.ts';
import { downloadJson, exportFilename } from '../download.ts';
import { currentLanguage, t } from '../i18n/i18n.ts';
import { blockedVisitorsSection } from './blocked-visitors.ts';
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
  const details = h('div', null, h('p', null, t('account.loading')));
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
      field(t('account.organization'), org),
      field(t('account.contactName'), contactName),
      field(t('account.contactEmail'), contactEmail),
      field(t('account.phone'), phone, t('account.optional')),
      field(t('account.imHandle'), imHandle, t('account.optional')),
      h('button', { type: 'submit', class: 'button button-primary' }, t('account.save')),
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
        detailsStatus.success(t('account.saved'));
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
        t('account.websitesText'),
        ' ',
        h('a', { href: '#/websites' }, t('account.websitesLink')),
        '.',
      ),
    );
  };

  api
    .account()
    .then(renderDetails)
    .catch((error: unknown) => {
      fill(details);
      detailsStatus.error(describeFailure(error, t('account.detailsFeature')));
    });

  // ---- API key ----
  const keyStatus = feedback();
  const keyResult = h('div', { class: 'one-time', hidden: true });
  const rotate = h('button', { type: 'button', class: 'button' }, t('account.newKey'));
  rotate.addEventListener('click', async () => {
    keyStatus.clear();
    const confirmed = await confirmDialog({
      title: t('account.newKeyTitle'),
      body: [t('account.newKeyBody'), t('account.newKeyOnce')],
      confirmLabel: t('account.newKeyConfirm'),
    });
    if (!confirmed) return;
    try {
      const { apiKey } = await busy(rotate, () => api.rotateApiKey());
      const keyInput = h('input', { type: 'text', readonly: true, value: apiKey, class: 'mono' });
      const copy = h('button', { type: 'button', class: 'button' }, t('account.copyKey'));
      const copyStatus = feedback();
      copy.addEventListener('click', async () => {
        if (await copyText(apiKey, keyInput)) copyStatus.success(t('team.copied'));
        else copyStatus.info(t('account.copyKeyByHand'));
      });
      fill(
        keyResult,
        h('p', null, t('account.storeKey')),
        h('div', { class: 'copy-row' }, field(t('account.apiKey'), keyInput), copy),
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
  const marketingBody = h('div', null, h('p', null, t('conversation.loading')));
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
            await busy(marketingBody, () => api.setMarketing(wanted, currentLanguage()));
            marketingStatus.success(wanted ? t('account.newsOn') : t('account.newsOff'));
          } catch (error) {
            box.checked = !wanted;
            marketingStatus.error(messageOf(error));
          }
        });
        fill(marketingBody, checkbox(t('account.news'), box, t('account.newsHint')));
      })
      .catch((error: unknown) => {
        fill(marketingBody);
        marketingStatus.error(describeFailure(error, t('account.newsFeature')));
      });

  // ---- export ----
  const exportStatus = feedback();
  const exportButton = h('button', { type: 'button', class: 'button' }, t('account.download'));
  exportButton.addEventListener('click', async () => {
    exportStatus.clear();
    try {
      const data = await busy(exportButton, () => api.exportAccount());
      downloadJson(data, exportFilename('account'));
      exportStatus.success(t('account.downloadStarted'));
    } catch (error) {
      exportStatus.error(describeFailure(error, t('account.exportFeature')));
    }
  });

  // ---- close ----
  const closeStatus = feedback();
  const closeButton = h('button', { type: 'button', class: 'button button-danger' }, t('account.closeThis'));
  closeButton.addEventListener('click', async () => {
    closeStatus.clear();
    if (!organization) {
      closeStatus.error(t('account.notLoaded'));
      return;
    }
    const confirmed = await confirmDialog({
      title: t('account.closeTitle'),
      body: [t('account.closeBody'), t('account.closeKeeps')],
      confirmLabel: t('account.close'),
      danger: true,
      typeToConfirm: {
        label: t('account.typeName', { organization }),
        expected: organization,
      },
    });
    if (!confirmed) return;
    try {
      await busy(closeButton, () => api.closeAccount(organization));
      options.onClosed();
    } catch (error) {
      closeStatus.error(describeFailure(error, t('account.closeFeature')));
    }
  });

  return {
    element: page(
      t('shell.nav.account'),
      t('account.intro'),
      section(t('account.details'), details, detailsStatus.element),
      section(t('account.widget'), widget),
      section(
        t('account.apiKey'),
        h('p', null, t('account.apiKeyText')),
        rotate,
        keyStatus.element,
        keyResult,
      ),
      blockedVisitorsSection(api),
      options.isOwner ? section(t('account.productNews'), marketingBody, marketingStatus.element) : null,
      section(
        t('account.yourData'),
        h('p', null, t('account.yourDataText')),
        exportButton,
        exportStatus.element,
      ),
      options.isOwner
        ? h(
            'section',
            { class: 'card card-danger' },
            h('h2', null, t('account.close')),
            h('p', null, t('account.closeText')),
            closeButton,
            closeStatus.element,
          )
        : null,
    ),
    destroy() {},
  };
}
