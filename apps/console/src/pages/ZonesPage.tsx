import { type Schema } from '@chime/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, STATES } from '../api';
import { Link } from '../router';
import {
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorNote,
  FilterBar,
  FormDialog,
  ListPager,
  RowButton,
  useListState,
} from '../ui';

type Az = Schema<'Az'>;

const STATE_FILTER = [
  { value: '', label: 'Any' },
  { value: '1', label: 'Enabled' },
  { value: '0', label: 'Disabled' },
];

/** How many clusters an AZ holds: the `total` of a one-row page. */
export function ClusterCount({ azUuid }: { azUuid: string }) {
  const { data } = useQuery({
    queryKey: ['cluster', 'count', azUuid],
    queryFn: () => client.call('listCluster', { params: { path: { AzUuid: azUuid }, query: { size: 1 } } }),
  });
  return <>{data?.total ?? '…'}</>;
}

type Dialog = { kind: 'create' } | { kind: 'edit'; az: Az } | { kind: 'delete'; az: Az };

export default function ZonesPage({ manage }: { manage: boolean }) {
  const list = useListState({ name: '', state: '' });
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<{ uuid: string; error: unknown }>();
  const { data, error } = useQuery({
    queryKey: ['az', 'list', list.query],
    queryFn: () => client.call('listAz', { params: { query: list.query as never } }),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['az'] });
  const setState = async (az: Az, enable: boolean) => {
    setActionError(undefined);
    try {
      await client.call(enable ? 'enableAz' : 'disableAz', { params: { path: { AzUuid: az.uuid } } });
      await refresh();
    } catch (failure) {
      setActionError({ uuid: az.uuid, error: failure });
    }
  };

  const columns: Column<Az>[] = [
    { key: 'name', label: 'Name', sortable: true, render: (az) => <Link to={`/az/${az.uuid}`}>{az.name}</Link> },
    { key: 'description', label: 'Description' },
    { key: 'state', label: 'State', sortable: true, render: (az) => STATES[az.state] },
    { key: 'clusters', label: 'Clusters', render: (az) => <ClusterCount azUuid={az.uuid} /> },
    { key: 'uuid', label: 'UUID', render: (az) => <code>{az.uuid}</code> },
    { key: 'created_at', label: 'Created', sortable: true, render: (az) => formatTime(az.created_at) },
  ];

  return (
    <section>
      <header className="page-header">
        <h1>Availability zones</h1>
        {manage && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New availability zone
          </button>
        )}
      </header>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter by name' },
          { name: 'state', label: 'Filter by state', type: 'select', options: STATE_FILTER },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Availability zones"
        columns={columns}
        rows={data?.elements}
        rowKey={(az) => az.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          manage
            ? (az) => (
                <>
                  <RowButton action="Edit" name={az.name} onClick={() => setDialog({ kind: 'edit', az })} />
                  {az.state === 1 ? (
                    <RowButton action="Disable" name={az.name} onClick={() => void setState(az, false)} />
                  ) : (
                    <RowButton action="Enable" name={az.name} onClick={() => void setState(az, true)} />
                  )}
                  <RowButton action="Delete" name={az.name} onClick={() => setDialog({ kind: 'delete', az })} />
                  {actionError?.uuid === az.uuid && <ErrorNote error={actionError.error} />}
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && (
        <FormDialog
          title="New availability zone"
          fields={[
            { name: 'name', label: 'Name', required: true },
            { name: 'description', label: 'Description' },
          ]}
          initial={{ name: '', description: '' }}
          submitLabel="Create"
          onSubmit={async (values) => {
            await client.call('createAz', { body: { name: String(values.name), description: String(values.description) } });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormDialog
          title={`Edit ${dialog.az.name}`}
          fields={[
            { name: 'name', label: 'Name', required: true },
            { name: 'description', label: 'Description' },
          ]}
          initial={{ name: dialog.az.name, description: dialog.az.description }}
          submitLabel="Save"
          onSubmit={async (values) => {
            await client.call('updateAz', {
              params: { path: { AzUuid: dialog.az.uuid } },
              body: { name: String(values.name), description: String(values.description) },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.az.name}`}
          question={`Delete the availability zone ${dialog.az.name}? This cannot be undone.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteAz', { params: { path: { AzUuid: dialog.az.uuid } } });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}
