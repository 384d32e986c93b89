import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { VisitorBlock } from '../api-types.ts';
import { feedback, fill, h } from '../dom.ts';
import { formatFull } from '../format.ts';
import { t } from '../i18n/i18n.ts';
import { section, table } from './page.ts';

/**
 * SEC-1: the blocks in force on the account's visitors, for owners and admins, who may lift one before it ends. A
 * block ends by itself at the time shown.
 */
export function blockedVisitorsSection(api: ApiClient): HTMLElement {
  const body = h('div', null, h('p', null, t('unwanted.loading')));
  const status = feedback();

  const lift = async (block: VisitorBlock, button: HTMLButtonElement) => {
    status.clear();
    button.disabled = true;
    try {
      await api.liftBlock(block.id);
      status.success(t('unwanted.lifted'));
      await load();
    } catch (error) {
      button.disabled = false;
      status.error(messageOf(error));
    }
  };

  const row = (block: VisitorBlock) => {
    const name = block.visitorName ?? t('unwanted.unnamed');
    const button = h(
      'button',
      { type: 'button', class: 'button button-small', 'aria-label': t('unwanted.liftNamed', { name }) },
      t('unwanted.lift'),
    );
    button.addEventListener('click', () => void lift(block, button));
    return h(
      'tr',
      null,
      h('td', null, name),
      h('td', null, block.reason ?? ''),
      h('td', null, block.blockedBy?.name ?? ''),
      h('td', null, formatFull(block.expiresAt)),
      h('td', null, button),
    );
  };

  const load = async () => {
    try {
      const { blocks } = await api.blocks();
      fill(
        body,
        blocks.length === 0
          ? h('p', { class: 'empty-state' }, t('unwanted.none'))
          : table(
              t('unwanted.blockedTitle'),
              [
                t('unwanted.visitor'),
                t('unwanted.reasonColumn'),
                t('unwanted.by'),
                t('unwanted.until'),
                { text: t('unwanted.lift'), hidden: true },
              ],
              blocks.map(row),
            ),
      );
    } catch (error) {
      fill(body);
      status.error(describeFailure(error, t('unwanted.blockedTitle')));
    }
  };
  void load();

  return section(t('unwanted.blockedTitle'), h('p', null, t('unwanted.blockedIntro')), body, status.element);
}
