import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Agent, Role, TeamMember } from '../api-types.ts';
import { copyText } from '../clipboard.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { formatFull } from '../format.ts';
import { confirmDialog } from './dialog.ts';
import { page, section, table } from './page.ts';

const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };

/** Owner and admins: the agents of the account, inviting a new one, changing a role, removing one. */
export function teamView(api: ApiClient, me: Agent): View {
  const listBody = h('div', null, h('p', null, 'Loading the team…'));
  const listStatus = feedback();

  const load = async () => {
    try {
      const { agents } = await api.agents();
      render(agents);
    } catch (error) {
      fill(listBody);
      listStatus.error(describeFailure(error, 'The team list'));
    }
  };

  const changeRole = async (agent: TeamMember) => {
    listStatus.clear();
    const role = agent.role === 'admin' ? 'agent' : 'admin';
    try {
      await api.setRole(agent.id, role);
      listStatus.success(`${agent.name} is now ${role === 'admin' ? 'an admin' : 'an agent'}.`);
      await load();
    } catch (error) {
      listStatus.error(messageOf(error));
    }
  };

  const remove = async (agent: TeamMember) => {
    listStatus.clear();
    const confirmed = await confirmDialog({
      title: `Remove ${agent.name}?`,
      body: [
        `${agent.name} (${agent.email}) is signed out at once and can no longer sign in.`,
        'Chats they are answering go back to Waiting; closed ones stay in the history.',
      ],
      confirmLabel: 'Remove agent',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api.removeAgent(agent.id);
      listStatus.success(`${agent.name} was removed.`);
      await load();
    } catch (error) {
      listStatus.error(messageOf(error));
    }
  };

  /** SEC-1: for someone who lost their phone and their recovery codes; they sign in with their password after. */
  const resetSecondFactor = async (agent: TeamMember) => {
    listStatus.clear();
    const confirmed = await confirmDialog({
      title: `Reset ${agent.name}’s second factor?`,
      body: [
        `${agent.name} then signs in with their password alone, and can set up a second factor again from their profile.`,
        'The reset is recorded in the audit log.',
      ],
      confirmLabel: 'Reset second factor',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api.resetSecondFactor(agent.id);
      listStatus.success(`${agent.name}’s second factor was reset.`);
    } catch (error) {
      listStatus.error(messageOf(error));
    }
  };

  const render = (agents: TeamMember[]) => {
    const rows = agents.map((agent) =>
      h(
        'tr',
        null,
        h('td', null, agent.name, agent.id === me.id ? h('span', { class: 'muted' }, ' (you)') : null),
        h('td', { class: 'break' }, agent.email),
        h('td', null, ROLE_LABELS[agent.role]),
        h(
          'td',
          null,
          h(
            'span',
            { class: agent.online ? 'presence presence-online' : 'presence' },
            agent.online ? 'Online' : 'Offline',
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
                  agent.role === 'admin' ? 'Make agent' : 'Make admin',
                ),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small button-danger-quiet',
                    'aria-label': `Remove ${agent.name}`,
                    on: { click: () => void remove(agent) },
                  },
                  'Remove',
                ),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small',
                    'aria-label': `Reset second factor of ${agent.name}`,
                    on: { click: () => void resetSecondFactor(agent) },
                  },
                  'Reset second factor',
                ),
              ],
        ),
      ),
    );
    fill(
      listBody,
      table('Agents', ['Name', 'Email', 'Role', 'Status', { text: 'Actions', hidden: true }], rows),
    );
  };

  const name = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: 80 });
  const email = h('input', { type: 'email', autocomplete: 'off', required: true, maxlength: 254 });
  const inviteStatus = feedback();
  const result = h('div', { class: 'one-time', hidden: true });
  const form = h(
    'form',
    { class: 'inline-form' },
    field('Name', name),
    field('Email', email),
    h('button', { type: 'submit', class: 'button button-primary' }, 'Create invitation'),
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
      const copy = h('button', { type: 'button', class: 'button' }, 'Copy link');
      const copyStatus = feedback();
      copy.addEventListener('click', async () => {
        const copied = await copyText(absolute, linkInput);
        if (copied) copyStatus.success('Copied.');
        else copyStatus.info('Press Ctrl+C (or ⌘C) to copy the selected link.');
      });
      fill(
        result,
        h('h3', null, `Invitation for ${invitee.name}`),
        h(
          'p',
          null,
          `Parley has emailed this link to ${invitee.email}. It is shown here only this once, in case you want to pass it on yourself. ${invitee.name} sets a password when opening it; it works once${
            expiresAt ? `, until ${formatFull(expiresAt)}` : ''
          }.`,
        ),
        h('div', { class: 'copy-row' }, field('Invitation link', linkInput), copy),
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
      'Team',
      'The people who answer chats for your organization.',
      section('Agents', listStatus.element, listBody),
      section('Invite an agent', form, inviteStatus.element, result),
    ),
    destroy() {},
  };
}
