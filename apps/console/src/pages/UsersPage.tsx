import { type Schema } from '@chime/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, grantableRoles, type Owner, ROLE_NAMES } from '../api';
import { type Column, ConfirmDialog, DataTable, ErrorNote, FilterBar, FormDialog, type FormValues, ListPager, Modal, RowButton, useListState } from '../ui';
import { DefaultsFields, defaultValues, useSaveUserDefault, useUserDefault } from './UserDefaults';

type User = Schema<'User'>;
type Role = User['role'];

const ROLE_FILTER = [{ value: '', label: 'Any' }, ...ROLE_NAMES.map((label, value) => ({ value: String(value), label }))];

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'delete'; user: User } | { kind: 'defaults'; user: User };

/** Users: a user sees itself; administrators manage the roles below their own. */
export default function UsersPage({ owner }: { owner: Owner }) {
  const list = useListState({ name: '', role: '' });
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>();
  const grantable = grantableRoles(owner.role);
  const roleOptions = grantable.map((role) => ({ value: String(role), label: ROLE_NAMES[role] }));
  // Whom the signed-in user may change or delete: roles it may grant, never itself through this table.
  const manages = (user: User) => grantable.includes(user.role) && user.uuid !== owner.user_uuid;
  // Administrators read and set anyone's defaults (API.md §2.2); one's own are in Settings.
  const setsDefaults = (user: User) => owner.role >= 2 && user.uuid !== owner.user_uuid;
  const { data, error } = useQuery({
    queryKey: ['user', 'list', list.query],
    queryFn: () => client.call('listUser', { params: { query: list.query as never } }),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['user'] });
  const columns: Column<User>[] = [
    { key: 'name', label: 'Name', sortable: true },
    { key: 'nick_name', label: 'Nick name' },
    { key: 'role', label: 'Role', sortable: true, render: (u) => ROLE_NAMES[u.role] },
    { key: 'created_at', label: 'Created', sortable: true, render: (u) => formatTime(u.created_at) },
  ];
  return (
    <section>
      <header className="page-header">
        <h1>Users</h1>
        {grantable.length > 0 && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New user
          </button>
        )}
      </header>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter by name' },
          { name: 'role', label: 'Filter by role', type: 'select', options: ROLE_FILTER },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Users"
        columns={columns}
        rows={data?.elements}
        rowKey={(u) => u.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          grantable.length > 0
            ? (user) => (
                <>
                  {setsDefaults(user) && (
                    <button type="button" onClick={() => setDialog({ kind: 'defaults', user })} aria-label={`Defaults of ${user.name}`}>
                      Defaults
                    </button>
                  )}
                  {manages(user) && (
                    <>
                      <RowButton action="Edit" name={user.name} onClick={() => setDialog({ kind: 'edit', user })} />
                      <RowButton action="Delete" name={user.name} onClick={() => setDialog({ kind: 'delete', user })} />
                    </>
                  )}
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && (
        <FormDialog
          title="New user"
          fields={[
            { name: 'name', label: 'User name', required: true, hint: '1–64 of A–Z, a–z, 0–9, _ . -' },
            { name: 'nick_name', label: 'Nick name', required: true },
            { name: 'password', label: 'Password', type: 'password', required: true, hint: 'at least 8 characters' },
            { name: 'role', label: 'Role', type: 'select', options: roleOptions },
          ]}
          initial={{ name: '', nick_name: '', password: '', role: '0' }}
          submitLabel="Create"
          onSubmit={async (values) => {
            await client.call('createUser', {
              body: {
                name: String(values.name),
                nick_name: String(values.nick_name),
                password: String(values.password),
                role: Number(values.role) as Role,
              },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormDialog
          title={`Edit ${dialog.user.name}`}
          fields={[
            { name: 'nick_name', label: 'Nick name' },
            { name: 'avatar', label: 'Avatar URL' },
            { name: 'role', label: 'Role', type: 'select', options: roleOptions },
            { name: 'password', label: 'New password', type: 'password', hint: 'leave empty to keep it' },
          ]}
          initial={{ nick_name: dialog.user.nick_name, avatar: dialog.user.avatar, role: String(dialog.user.role), password: '' }}
          submitLabel="Save"
          warning="A new password ends every session of this user."
          onSubmit={async (values: FormValues) => {
            await client.call('updateUser', {
              params: { path: { UserUuid: dialog.user.uuid } },
              body: {
                nick_name: String(values.nick_name),
                avatar: String(values.avatar),
                role: Number(values.role) as Role,
                ...(values.password ? { password: String(values.password) } : {}),
              },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'defaults' && <DefaultsDialog user={dialog.user} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.user.name}`}
          question={`Delete the user ${dialog.user.name}? Its sessions end at once.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteUser', { params: { path: { UserUuid: dialog.user.uuid } } });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}

/** Another user's default AZ and cluster, as an administrator sees and sets them; the server's refusal shown in the dialog. */
function DefaultsDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const loaded = useUserDefault(user.uuid);
  const save = useSaveUserDefault(user.uuid);
  const title = `Defaults of ${user.name}`;
  // Nothing until the defaults are known (the form's initial values); one dialog, not a loading one replaced by another.
  if (loaded.isPending) return null;
  if (!loaded.data) {
    return (
      <Modal title={title} onClose={onClose}>
        <ErrorNote error={loaded.error} />
        <button type="button" onClick={onClose}>
          Close
        </button>
      </Modal>
    );
  }
  return (
    <FormDialog
      title={title}
      fields={[]}
      initial={defaultValues(loaded.data.default)}
      submitLabel="Save"
      onSubmit={save}
      onClose={onClose}
      renderFields={(values, onChange) => <DefaultsFields values={values} onChange={onChange} />}
    />
  );
}
