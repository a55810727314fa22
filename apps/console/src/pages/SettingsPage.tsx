import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { client, type Owner } from '../api';
import { ErrorNote, Fields, type FormValues } from '../ui';
import { DefaultsFields, defaultValues, useSaveUserDefault, useUserDefault } from './UserDefaults';

/** The signed-in user's own profile, password and defaults. */
export default function SettingsPage({ owner }: { owner: Owner }) {
  return (
    <section>
      <h1>Settings</h1>
      <Profile owner={owner} />
      <Password owner={owner} />
      <Defaults owner={owner} />
    </section>
  );
}

/** A form of its own with its own Save, result and error. */
function SettingsForm({ title, children, onSubmit, saved }: { title: string; children: React.ReactNode; onSubmit: () => Promise<unknown>; saved: string }) {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await onSubmit();
      setDone(true);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={submit} aria-label={title} className="card">
      <h2>{title}</h2>
      {children}
      <ErrorNote error={error} />
      {done && <p role="status">{saved}</p>}
      <button type="submit">Save {title.toLowerCase()}</button>
    </form>
  );
}

function Profile({ owner }: { owner: Owner }) {
  const queries = useQueryClient();
  const { data } = useQuery({
    queryKey: ['user', 'one', owner.user_uuid],
    queryFn: () => client.call('getUser', { params: { path: { UserUuid: owner.user_uuid } } }),
  });
  const [values, setValues] = useState<FormValues>();
  const current = values ?? (data ? { nick_name: data.user.nick_name, avatar: data.user.avatar } : undefined);
  if (!current) return <p>Loading…</p>;
  return (
    <SettingsForm
      title="Profile"
      saved="Profile saved."
      onSubmit={async () => {
        await client.call('updateUser', {
          params: { path: { UserUuid: owner.user_uuid } },
          body: { nick_name: String(current.nick_name), avatar: String(current.avatar) },
        });
        await queries.invalidateQueries({ queryKey: ['user'] });
      }}
    >
      <Fields
        fields={[
          { name: 'nick_name', label: 'Nick name' },
          { name: 'avatar', label: 'Avatar URL' },
        ]}
        values={current}
        onChange={setValues}
      />
    </SettingsForm>
  );
}

function Password({ owner }: { owner: Owner }) {
  const [values, setValues] = useState<FormValues>({ password: '' });
  return (
    <SettingsForm
      title="Password"
      saved="Password changed."
      onSubmit={() =>
        client.call('updateUser', { params: { path: { UserUuid: owner.user_uuid } }, body: { password: String(values.password) } })
      }
    >
      <p className="warning">Changing your password ends every session of yours, this one included: you will sign in again.</p>
      <Fields fields={[{ name: 'password', label: 'New password', type: 'password', required: true, hint: 'at least 8 characters' }]} values={values} onChange={setValues} />
    </SettingsForm>
  );
}

function Defaults({ owner }: { owner: Owner }) {
  const loaded = useUserDefault(owner.user_uuid);
  const save = useSaveUserDefault(owner.user_uuid);
  const [values, setValues] = useState<FormValues>();
  const current = values ?? defaultValues(loaded.data?.default);
  return (
    <SettingsForm title="Defaults" saved="Defaults saved." onSubmit={() => save(current)}>
      <DefaultsFields values={current} onChange={setValues} />
    </SettingsForm>
  );
}
