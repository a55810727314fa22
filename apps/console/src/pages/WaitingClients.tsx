import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime } from '../api';
import { navigate } from '../router';
import {
  type Column,
  DataTable,
  ErrorNote,
  Fields,
  FilterBar,
  FormDialog,
  type FormValues,
  ListPager,
  RowButton,
  useListState,
} from '../ui';
import { useAllClusters, useAllZones } from './ClustersPage';
import {
  CapacityFields,
  capacityBody,
  capacityValues,
  type Client,
  formatBytes,
  HOST_REFETCH_MS,
  hostsHref,
  LastHeartbeat,
  MONITOR_STATES,
  MonitorBadge,
} from './host-view';

/** Where an adoption starts: the AZ and cluster picked on the page. */
interface Placement {
  azUuid?: string;
  clusterUuid?: string;
}

/**
 * The nodes whose agents enrolled and that no cluster has adopted yet (listClient), each with an
 * Adopt action for administrators; "Include adopted nodes" lists every node.
 */
export function WaitingClients({ manage, placement }: { manage: boolean; placement: Placement }) {
  const list = useListState({ name: '', monitor_state: '', all: false });
  const [adopting, setAdopting] = useState<Client>();
  const { all, ...filters } = list.query as Record<string, unknown>;
  const query = { ...filters, ...(all ? { all: 1 } : {}) };
  const { data, error } = useQuery({
    queryKey: ['host', 'clients', query],
    queryFn: () => client.call('listClient', { params: { query: query as never } }),
    placeholderData: keepPreviousData,
    refetchInterval: HOST_REFETCH_MS,
  });
  const columns: Column<Client>[] = [
    { key: 'name', label: 'Name', sortable: true },
    { key: 'manage_ip', label: 'Manage IP' },
    { key: 'rack_name', label: 'Rack' },
    { key: 'physical_vcpus', label: 'vCPUs' },
    { key: 'physical_memory', label: 'Memory', render: (c) => formatBytes(c.physical_memory) },
    {
      key: 'monitor_state',
      label: 'Monitor',
      sortable: true,
      render: (c) => (
        <>
          <MonitorBadge state={c.monitor_state} message={c.monitor_message} /> {c.monitor_message}
        </>
      ),
    },
    { key: 'heartbeat_at', label: 'Last heartbeat', sortable: true, render: (c) => <LastHeartbeat at={c.heartbeat_at} /> },
    { key: 'created_at', label: 'Enrolled', sortable: true, render: (c) => formatTime(c.created_at) },
  ];
  if (all) columns.push({ key: 'state', label: 'Adopted', render: (c) => (c.state === 1 ? 'yes' : 'no') });
  return (
    <section aria-labelledby="waiting-clients">
      <h2 id="waiting-clients">Nodes waiting to be adopted</h2>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter nodes by name' },
          {
            name: 'monitor_state',
            label: 'Filter nodes by monitor state',
            type: 'select',
            options: [{ value: '', label: 'Any' }, ...MONITOR_STATES.map((label, value) => ({ value: String(value), label }))],
          },
          { name: 'all', label: 'Include adopted nodes', type: 'checkbox' },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Nodes waiting to be adopted"
        columns={columns}
        rows={data?.elements}
        rowKey={(c) => c.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          manage
            ? (node) => node.state === 0 && <RowButton action="Adopt" name={node.name} onClick={() => setAdopting(node)} />
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {adopting && <AdoptDialog node={adopting} placement={placement} onClose={() => setAdopting(undefined)} />}
    </section>
  );
}

/** createHost: the cluster to adopt the node into, its ratios and reservations; then that cluster's hosts are shown. */
function AdoptDialog({ node, placement, onClose }: { node: Client; placement: Placement; onClose: () => void }) {
  const queries = useQueryClient();
  return (
    <FormDialog
      title={`Adopt ${node.name}`}
      fields={[]}
      initial={{ az_uuid: placement.azUuid ?? '', cluster_uuid: placement.clusterUuid ?? '', ...capacityValues() }}
      submitLabel="Adopt"
      renderFields={(values, onChange) => <AdoptFields node={node} values={values} onChange={onChange} />}
      onSubmit={async (values) => {
        const [azUuid, clusterUuid] = [String(values.az_uuid), String(values.cluster_uuid)];
        await client.call('createHost', {
          params: { path: { AzUuid: azUuid, ClusterUuid: clusterUuid } },
          body: { uuid: node.uuid, ...capacityBody(values) },
        });
        await queries.invalidateQueries({ queryKey: ['host'] });
        navigate(hostsHref(azUuid, clusterUuid));
      }}
      onClose={onClose}
    />
  );
}

/** The AZ and cluster pickers (a new AZ clears the cluster), then the capacity fields. */
function AdoptFields({ node, values, onChange }: { node: Client; values: FormValues; onChange: (values: FormValues) => void }) {
  const zones = useAllZones();
  const clusters = useAllClusters(String(values.az_uuid) || undefined);
  const pick = (label: string) => ({ value: '', label });
  const clusterOptions = (clusters.data?.elements ?? [])
    .filter((cluster) => cluster.az_uuid === values.az_uuid)
    .map((cluster) => ({ value: cluster.uuid, label: cluster.name }));
  return (
    <>
      <Fields
        fields={[
          {
            name: 'az_uuid',
            label: 'Availability zone',
            type: 'select',
            required: true,
            options: [
              pick('Pick an availability zone'),
              ...(zones.data?.elements ?? []).map((az) => ({ value: az.uuid, label: az.name })),
            ],
          },
          {
            name: 'cluster_uuid',
            label: 'Cluster',
            type: 'select',
            required: true,
            options: [pick('Pick a cluster'), ...clusterOptions],
          },
        ]}
        values={values}
        onChange={(next) => onChange(next.az_uuid !== values.az_uuid ? { ...next, cluster_uuid: '' } : next)}
      />
      <CapacityFields node={node} values={values} onChange={onChange} />
    </>
  );
}
