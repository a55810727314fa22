import { type Schema } from '@chime/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { canManageInfrastructure, client, CLUSTER_TYPES, formatTime, type Owner, STATES } from '../api';
import { type Column, ConfirmDialog, DataTable, ErrorNote, type FieldSpec, FilterBar, FormDialog, type FormValues, ListPager, RowButton, useListState } from '../ui';

type Cluster = Schema<'Cluster'>;

const anyOr = (options: { value: string; label: string }[]) => [{ value: '', label: 'Any' }, ...options];
const TYPE_OPTIONS = CLUSTER_TYPES.map((label, value) => ({ value: String(value), label }));
const STATE_OPTIONS = STATES.map((label, value) => ({ value: String(value), label })).reverse();

/** All AZs (at most 32, the platform limit), for pickers. */
export function useAllZones() {
  return useQuery({
    queryKey: ['az', 'all'],
    queryFn: () => client.call('listAz', { params: { query: { size: 100, sort: 'name', order: 'asc' } } }),
  });
}

/** All clusters of an AZ (at most 32), for pickers. */
export function useAllClusters(azUuid: string | undefined) {
  return useQuery({
    queryKey: ['cluster', 'all', azUuid],
    queryFn: () => client.call('listCluster', { params: { path: { AzUuid: azUuid! }, query: { size: 100, sort: 'name', order: 'asc' } } }),
    enabled: Boolean(azUuid),
  });
}

/** The signed-in user's default AZ and cluster. */
export function useOwnDefault(owner: Owner) {
  return useQuery({
    queryKey: ['user', 'default', owner.user_uuid],
    queryFn: () => client.call('getUserDefault', { params: { path: { UserUuid: owner.user_uuid } } }),
  });
}

export default function ClustersPage({ owner }: { owner: Owner }) {
  const zones = useAllZones();
  const ownDefault = useOwnDefault(owner);
  const [picked, setPicked] = useState<string>();
  const pickerId = useId();
  const elements = zones.data?.elements ?? [];
  const defaultAz = ownDefault.data?.default.az_uuid;
  // The picker starts at the user's default AZ, else the first one.
  const azUuid = picked ?? (elements.some((az) => az.uuid === defaultAz) ? defaultAz! : elements[0]?.uuid);
  return (
    <section>
      <header className="page-header">
        <h1>Clusters</h1>
        <label htmlFor={pickerId}>Availability zone</label>
        <select id={pickerId} value={azUuid ?? ''} onChange={(event) => setPicked(event.target.value)}>
          {elements.map((az) => (
            <option key={az.uuid} value={az.uuid}>
              {az.name}
              {az.state === 0 ? ' (disabled)' : ''}
            </option>
          ))}
        </select>
      </header>
      <ErrorNote error={zones.error} />
      {zones.data && elements.length === 0 && <p>There is no availability zone yet: create one first.</p>}
      {azUuid && <ClusterList key={azUuid} azUuid={azUuid} manage={canManageInfrastructure(owner)} />}
    </section>
  );
}

type Dialog = { kind: 'create' } | { kind: 'edit'; cluster: Cluster } | { kind: 'delete'; cluster: Cluster };

const FORM_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'description', label: 'Description' },
  { name: 'type', label: 'Type', type: 'select', options: TYPE_OPTIONS },
  { name: 'hypervisor_type', label: 'Hypervisor', required: true },
  { name: 'arch', label: 'Architecture', required: true },
];

function clusterBody(values: FormValues) {
  return {
    name: String(values.name),
    description: String(values.description),
    type: Number(values.type) as 0 | 1 | 2,
    hypervisor_type: String(values.hypervisor_type),
    arch: String(values.arch),
  };
}

/** The clusters of one AZ: filters, server-side paging and sort, and the actions the role allows. */
export function ClusterList({ azUuid, manage }: { azUuid: string; manage: boolean }) {
  const list = useListState({ name: '', state: '', type: '', hypervisor_type: '', arch: '' });
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<{ uuid: string; error: unknown }>();
  const { data, error } = useQuery({
    queryKey: ['cluster', 'list', azUuid, list.query],
    queryFn: () => client.call('listCluster', { params: { path: { AzUuid: azUuid }, query: list.query as never } }),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['cluster'] });
  const path = (cluster: Cluster) => ({ path: { AzUuid: azUuid, ClusterUuid: cluster.uuid } });
  const setState = async (cluster: Cluster, enable: boolean) => {
    setActionError(undefined);
    try {
      await client.call(enable ? 'enableCluster' : 'disableCluster', { params: path(cluster) });
      await refresh();
    } catch (failure) {
      setActionError({ uuid: cluster.uuid, error: failure });
    }
  };
  const columns: Column<Cluster>[] = [
    { key: 'name', label: 'Name', sortable: true },
    { key: 'description', label: 'Description' },
    { key: 'type', label: 'Type', sortable: true, render: (c) => CLUSTER_TYPES[c.type] },
    { key: 'hypervisor_type', label: 'Hypervisor' },
    { key: 'arch', label: 'Architecture' },
    { key: 'state', label: 'State', sortable: true, render: (c) => STATES[c.state] },
    { key: 'az_name', label: 'Availability zone' },
    { key: 'created_at', label: 'Created', sortable: true, render: (c) => formatTime(c.created_at) },
  ];
  return (
    <>
      <div className="toolbar">
        {manage && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New cluster
          </button>
        )}
      </div>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter by name' },
          { name: 'state', label: 'Filter by state', type: 'select', options: anyOr(STATE_OPTIONS) },
          { name: 'type', label: 'Filter by type', type: 'select', options: anyOr(TYPE_OPTIONS) },
          { name: 'hypervisor_type', label: 'Filter by hypervisor' },
          { name: 'arch', label: 'Filter by architecture' },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Clusters"
        columns={columns}
        rows={data?.elements}
        rowKey={(c) => c.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          manage
            ? (cluster) => (
                <>
                  <RowButton action="Edit" name={cluster.name} onClick={() => setDialog({ kind: 'edit', cluster })} />
                  <button
                    type="button"
                    onClick={() => void setState(cluster, cluster.state !== 1)}
                    aria-label={`${cluster.state === 1 ? 'Disable' : 'Enable'} ${cluster.name}`}
                  >
                    {cluster.state === 1 ? 'Disable' : 'Enable'}
                  </button>
                  <RowButton action="Delete" name={cluster.name} onClick={() => setDialog({ kind: 'delete', cluster })} />
                  {actionError?.uuid === cluster.uuid && <ErrorNote error={actionError.error} />}
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && (
        <FormDialog
          title="New cluster"
          fields={FORM_FIELDS}
          initial={{ name: '', description: '', type: '0', hypervisor_type: 'kvm', arch: 'x86_64' }}
          submitLabel="Create"
          onSubmit={async (values) => {
            await client.call('createCluster', { params: { path: { AzUuid: azUuid } }, body: clusterBody(values) });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormDialog
          title={`Edit ${dialog.cluster.name}`}
          fields={FORM_FIELDS}
          initial={{ ...dialog.cluster, type: String(dialog.cluster.type) } as unknown as FormValues}
          submitLabel="Save"
          onSubmit={async (values) => {
            await client.call('updateCluster', { params: path(dialog.cluster), body: clusterBody(values) });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.cluster.name}`}
          question={`Delete the cluster ${dialog.cluster.name}? This cannot be undone.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteCluster', { params: path(dialog.cluster) });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
}
