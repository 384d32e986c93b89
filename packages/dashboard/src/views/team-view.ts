import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Agent, Role, TeamMember } from '../api-types.ts';
import { copyText } from '../clipboard.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { formatFull } from '../format.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { departmentsSection } from './departments-section.ts';
import { confirmDialog } from './dialog.ts';
import { page, section, table } from './page.ts';

const ROLE_LABELS: Record<Role, MessageKey> = {
  owner: 'team.owner',
  admin: 'team.admin',
  agent: 'list.agent',
};

/** Owner and admins: the agents of the account, inviting a new one, changing a role, removing one. */
export function teamView(api: ApiClient, me: Agent): View {
  const listBody = h('div', null, h('p', null, t('team.loading')));
  const listStatus = feedback();

  const load = async () => {
    try {
      const { agents } = await api.agents();
      render(agents);
    } catch (error) {
      fill(listBody);
      listStatus.error(describeFailure(error, t('team.list')));
    }
  };

  const changeRole = async (agent: TeamMember) => {
    listStatus.clear();
    const role = agent.role === 'admin' ? 'agent' : 'admin';
    try {
      await api.setRole(agent.id, role);
      listStatus.success(
        role === 'admin'
          ? t('team.nowAdmin', { name: agent.name })
          : t('team.nowAgent', { name: agent.name }),
      );
      await load();
    } catch (error) {
      listStatus.error(messageOf(error));
    }
  };

  const remove = async (agent: TeamMember) => {
    listStatus.clear();
    const confirmed = await confirmDialog({
      title: t('team.removeTitle', { name: agent.name }),
      body: [t('team.removeBody', { name: agent.name, email: agent.email }), t('team.removeChats')],
      confirmLabel: t('team.removeConfirm'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api.removeAgent(agent.id);
      listStatus.success(t('team.removed', { name: agent.name }));
      await load();
    } catch (error) {
      listStatus.error(messageOf(error));
    }
  };

  /** SEC-1: for someone who lost their phone and their recovery codes; they sign in with their password after. */
  const resetSecondFactor = async (agent: TeamMember) => {
    listStatus.clear();
    const confirmed = await confirmDialog({
      title: t('team.resetTitle', { name: agent.name }),
      body: [t('team.resetBody', { name: agent.name }), t('team.resetAudit')],
      confirmLabel: t('team.reset'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api.resetSecondFactor(agent.id);
      listStatus.success(t('team.wasReset', { name: agent.name }));
    } catch (error) {
      listStatus.error(messageOf(error));
    }
  };

  const render = (agents: TeamMember[]) => {
    const rows = agents.map((agent) =>
      h(
        'tr',
        null,
        h(
          'td',
          null,
          agent.name,
          agent.id === me.id ? h('span', { class: 'muted' }, ` ${t('team.you')}`) : null,
        ),
        h('td', { class: 'break' }, agent.email),
        h('td', null, t(ROLE_LABELS[agent.role])),
        h(
          'td',
          null,
          h(
            'span',
            { class: agent.online ? 'presence presence-online' : 'presence' },
            agent.online ? t('team.online') : t('team.offline'),
          ),
        ),
        h(
          'td',
          null,
          agent.id === me.id || agent.role === 'owner'
            ? null
            : [
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small',
                    on: { click: () => void changeRole(agent) },
                  },
                  agent.role === 'admin' ? t('team.makeAgent') : t('team.makeAdmin'),
                ),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small button-danger-quiet',
                    'aria-label': t('team.removeNamed', { name: agent.name }),
                    on: { click: () => void remove(agent) },
                  },
                  t('team.remove'),
                ),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small',
                    'aria-label': t('team.resetNamed', { name: agent.name }),
                    on: { click: () => void resetSecondFactor(agent) },
                  },
                  t('team.reset'),
                ),
              ],
        ),
      ),
    );
    fill(
      listBody,
      table(
        t('team.agents'),
        [
          t('conversation.name'),
          t('conversation.email'),
          t('team.role'),
          t('privacy.status'),
          { text: t('team.actions'), hidden: true },
        ],
        rows,
      ),
    );
  };

  const name = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: 80 });
  const email = h('input', { type: 'email', autocomplete: 'off', required: true, maxlength: 254 });
  const inviteStatus = feedback();
  const result = h('div', { class: 'one-time', hidden: true });
  const form = h(
    'form',
    { class: 'inline-form' },
    field(t('conversation.name'), name),
    field(t('conversation.email'), email),
    h('button', { type: 'submit', class: 'button button-primary' }, t('team.createInvitation')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    inviteStatus.clear();
    result.hidden = true;
    try {
      const invitee = { name: name.value.trim(), email: email.value.trim() };
      const { link, expiresAt } = await busy(form, () => api.invite(invitee));
      const absolute = new URL(link, location.href).href;
      const linkInput = h('input', { type: 'text', readonly: true, value: absolute, class: 'mono' });
      const copy = h('button', { type: 'button', class: 'button' }, t('team.copyLink'));
      const copyStatus = feedback();
      copy.addEventListener('click', async () => {
        const copied = await copyText(absolute, linkInput);
        if (copied) copyStatus.success(t('team.copied'));
        else copyStatus.info(t('team.copyByHand'));
      });
      fill(
        result,
        h('h3', null, t('team.invitationFor', { name: invitee.name })),
        h(
          'p',
          null,
          expiresAt
            ? t('team.invitationSentUntil', { ...invitee, until: formatFull(expiresAt) })
            : t('team.invitationSent', invitee),
        ),
        h('div', { class: 'copy-row' }, field(t('team.invitationLink'), linkInput), copy),
        copyStatus.element,
      );
      result.hidden = false;
      name.value = '';
      email.value = '';
      linkInput.focus();
      linkInput.select();
    } catch (error) {
      inviteStatus.error(messageOf(error));
    }
  });

  void load();
  return {
    element: page(
      t('shell.nav.team'),
      t('team.intro'),
      section(t('team.agents'), listStatus.element, listBody),
      section(t('team.invite'), form, inviteStatus.element, result),
      departmentsSection(api),
    ),
    destroy() {},
  };
}
