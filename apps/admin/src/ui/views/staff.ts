import { api, type Outputs } from '../api.ts';
import { confirmAction, dataTable, field, h } from '../dom.ts';
import { formatDate } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

type Member = Outputs['staff']['list'][number];
type Role = Member['role'];

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  support: 'Support',
  privacy_officer: 'Privacy officer',
  admin: 'Admin',
};

const roleSelect = (selected: Role, label: string): HTMLSelectElement =>
  h(
    'select',
    { 'aria-label': label },
    (Object.keys(ROLE_LABELS) as Role[]).map((role) =>
      h('option', { value: role, selected: role === selected }, ROLE_LABELS[role]),
    ),
  );

/** Admins: who may use the console, and with which role. */
export async function staffView(ctx: ViewContext): Promise<HTMLElement> {
  const members = await api.staff.list.query();
  const status = h('div');

  const roleCell = (m: Member) => {
    const select = roleSelect(m.role, `Role of ${m.name}`);
    const save = h('button', { type: 'button', class: 'button secondary small' }, 'Change');
    save.addEventListener('click', async () => {
      const role = select.value as Role;
      const ok = await act(ctx, save, status, async () => {
        await api.staff.setRole.mutate({ staffId: m.id, role });
        return `${m.name} is now ${ROLE_LABELS[role]}.`;
      });
      if (ok) ctx.refresh();
    });
    return h('div', { class: 'inline-controls' }, select, save);
  };

  const removeCell = (m: Member) => {
    if (m.id === ctx.me.staff.id) return null;
    const remove = h('button', { type: 'button', class: 'button danger small' }, `Remove ${m.name}`);
    remove.addEventListener('click', async () => {
      const yes = await confirmAction({
        title: `Remove ${m.name}?`,
        body: 'Their sign-ins end at once and they can no longer use the console.',
        confirm: 'Remove',
        danger: true,
      });
      if (!yes) return;
      const ok = await act(ctx, remove, status, async () => {
        await api.staff.remove.mutate({ staffId: m.id });
        return `${m.name} is removed.`;
      });
      if (ok) ctx.refresh();
    });
    return remove;
  };

  const name = h('input', { name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
  const email = h('input', {
    name: 'email',
    type: 'email',
    required: true,
    maxlength: 320,
    autocomplete: 'off',
  });
  const role = roleSelect('viewer', 'Role');
  const password = h('input', {
    name: 'password',
    type: 'password',
    required: true,
    minlength: 12,
    autocomplete: 'new-password',
  });
  const addStatus = h('div');
  const add = h('button', { type: 'submit', class: 'button primary' }, 'Add the member');
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field('Name', name),
    field('Email', email),
    field('Role', role),
    field(
      'First password',
      password,
      'At least 12 characters. Tell it to them in person; they should change it.',
    ),
    h('div', { class: 'actions' }, add),
    addStatus,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await act(ctx, add, addStatus, async () => {
      await api.staff.create.mutate({
        name: name.value,
        email: email.value,
        role: role.value as Role,
        password: password.value,
      });
      return `${name.value} can now sign in to the console.`;
    });
    if (ok) ctx.refresh();
  });

  return h(
    'div',
    {},
    pageHeader(
      'Staff',
      'Viewers read; support also answers account holders and suspends accounts; privacy officers also handle disclosures, retention and the policy; admins do everything, staff included.',
    ),
    status,
    dataTable({
      caption: 'Staff members',
      columns: [
        { label: 'Name', cell: (m) => m.name },
        { label: 'Email', cell: (m) => m.email },
        { label: 'Since', cell: (m) => formatDate(m.createdAt), nowrap: true },
        { label: 'Role', cell: roleCell },
        { label: 'Remove', cell: removeCell },
      ],
      rows: members,
      empty: 'No staff.',
    }),
    section('Add a staff member', form),
  );
}
