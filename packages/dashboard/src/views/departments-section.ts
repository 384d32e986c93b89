import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { Department, Departments } from '../api-types.ts';
import { busy, checkbox, type Feedback, feedback, field, fill, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { confirmDialog } from './dialog.ts';
import { section, table } from './page.ts';

/** The store's limits, repeated for the form's own checks (the server checks again). */
const NAME_MAX = 60;
const CAPACITY_MAX = 50;

/** One department: its name, its members ticked, and deleting it. */
function departmentForm(
  api: ApiClient,
  department: Department,
  agents: Departments['agents'],
  status: Feedback,
  reload: () => Promise<void>,
): HTMLFormElement {
  const name = h('input', {
    type: 'text',
    required: true,
    maxlength: NAME_MAX,
    value: department.name,
    autocomplete: 'off',
  });
  const boxes = agents.map((agent) => ({
    agent,
    box: h('input', { name: 'member', value: agent.id, checked: department.agentIds.includes(agent.id) }),
  }));
  const remove = h(
    'button',
    { type: 'button', class: 'button button-danger-quiet' },
    t('departments.delete'),
  );
  const form = h(
    'form',
    { class: 'card department-form', 'data-department': department.name },
    field(t('conversation.name'), name),
    h(
      'fieldset',
      null,
      h('legend', null, t('departments.members')),
      boxes.map(({ agent, box }) => checkbox(agent.name, box)),
    ),
    h(
      'p',
      null,
      h('button', { type: 'submit', class: 'button button-primary' }, t('departments.save')),
      ' ',
      remove,
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    const agentIds = boxes.filter(({ box }) => box.checked).map(({ agent }) => agent.id);
    try {
      await busy(form, async () => {
        if (name.value.trim() !== department.name) await api.renameDepartment(department.id, name.value);
        await api.setDepartmentAgents(department.id, agentIds);
      });
      status.success(t('departments.saved', { name: name.value.trim() }));
      await reload();
    } catch (error) {
      status.error(messageOf(error));
    }
  });
  remove.addEventListener('click', async () => {
    status.clear();
    const confirmed = await confirmDialog({
      title: t('departments.deleteTitle', { name: department.name }),
      body: [t('departments.deleteBody')],
      confirmLabel: t('departments.delete'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api.deleteDepartment(department.id);
      status.success(t('departments.deleted', { name: department.name }));
      await reload();
    } catch (error) {
      status.error(messageOf(error));
    }
  });
  return form;
}

/** Each agent's capacity: how many chats at once routing gives them. */
function capacityTable(api: ApiClient, agents: Departments['agents'], status: Feedback): HTMLElement {
  const rows = agents.map((agent) => {
    const input = h('input', {
      type: 'number',
      min: 1,
      max: CAPACITY_MAX,
      step: 1,
      required: true,
      value: String(agent.capacity ?? 1),
      'aria-label': t('departments.capacityOf', { name: agent.name }),
    });
    const form = h(
      'form',
      { class: 'inline-form' },
      input,
      h('button', { type: 'submit', class: 'button button-small' }, t('departments.save')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.clear();
      try {
        await busy(form, () => api.setCapacity(agent.id, Number(input.value)));
        status.success(t('departments.capacitySaved', { name: agent.name, count: Number(input.value) }));
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    return h('tr', null, h('td', null, agent.name), h('td', null, form));
  });
  return table(t('departments.capacity'), [t('conversation.name'), t('departments.capacity')], rows);
}

/**
 * Owners and admins: the departments a chat can be routed to, who answers each, and how many chats at once each
 * agent takes. Part of the Team page.
 */
export function departmentsSection(api: ApiClient): HTMLElement {
  const status = feedback();
  const body = h('div', null, h('p', null, t('departments.loading')));
  const name = h('input', { type: 'text', required: true, maxlength: NAME_MAX, autocomplete: 'off' });
  const create = h(
    'form',
    { class: 'inline-form' },
    field(t('departments.newName'), name),
    h('button', { type: 'submit', class: 'button button-primary' }, t('departments.add')),
  );

  const load = async (): Promise<void> => {
    let found: Departments;
    try {
      found = await api.departments();
    } catch (error) {
      fill(body);
      status.error(describeFailure(error, t('departments.title')));
      return;
    }
    fill(
      body,
      found.departments.length === 0
        ? h('p', { class: 'muted' }, t('departments.none'))
        : found.departments.map((department) => departmentForm(api, department, found.agents, status, load)),
      h('h3', null, t('departments.capacity')),
      h('p', { class: 'hint' }, t('departments.capacityHint')),
      capacityTable(api, found.agents, status),
    );
  };

  create.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    try {
      const created = await busy(create, () => api.createDepartment(name.value));
      status.success(t('departments.created', { name: created.name }));
      name.value = '';
      await load();
    } catch (error) {
      status.error(messageOf(error));
    }
  });

  void load();
  return section(t('departments.title'), h('p', null, t('departments.intro')), create, status.element, body);
}
