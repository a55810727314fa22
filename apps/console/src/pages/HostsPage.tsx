import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { canManageInfrastructure, client, type Owner } from '../api';
import { Link } from '../router';
import { type Column, DataTable, ErrorNote, FilterBar, ListPager, SummaryCard, SummaryCards, useListState } from '../ui';
import { HostActions } from './HostActions';
import {
  formatBytes,
  HOST_REFETCH_MS,
  HOST_STATES,
  type Host,
  hostsHref,
  LastHeartbeat,
  LastOperation,
  MONITOR_STATES,
  MonitorBadge,
  StateBadge,
  usedOf,
} from './host-view';
import { useClusterPicker } from './storage-view';
import { WaitingClients } from './WaitingClients';

/**
 * The Host family: the nodes waiting to be adopted, then the hosts of the cluster picked (AZ and
 * cluster in the URL, starting at the user's defaults), with the cluster's summary.
 */
export default function HostsPage({ owner }: { owner: Owner }) {
  const manage = canManageInfrastructure(owner);
  const { azUuid, clusterUuid, pickers, error } = useClusterPicker(
    owner,
    'host',
    'There is no availability zone yet: create one first.',
  );
  return (
    <section>
      <header className="page-header">
        <h1>Hosts</h1>
      </header>
      <WaitingClients manage={manage} placement={{ azUuid, clusterUuid }} />
      <h2 className="subsection">Hosts by cluster</h2>
      {pickers}
      <ErrorNote error={error} />
      {azUuid && clusterUuid && (
        <>
          <ClusterSummary clusterUuid={clusterUuid} />
          <HostList key={clusterUuid} azUuid={azUuid} clusterUuid={clusterUuid} manage={manage} />
        </>
      )}
    </section>
  );
}

/** getHostStatistic of the cluster: counts by state and monitor state, capacity used of offered. */
function ClusterSummary({ clusterUuid }: { clusterUuid: string }) {
  const { data, error } = useQuery({
    queryKey: ['host', 'statistic', clusterUuid],
    queryFn: () => client.call('getHostStatistic', { params: { query: { cluster_uuid: clusterUuid } } }),
    refetchInterval: HOST_REFETCH_MS,
  });
  const s = data?.host_statistic;
  return (
    <SummaryCards label="Cluster summary" error={error}>
      {s && (
        <>
          <SummaryCard title="Hosts" figure={s.hosts}>
            {s.enabled} enabled, {s.disabled} disabled, {s.suspended} suspended
          </SummaryCard>
          <SummaryCard title="Monitor">
            {s.reachable} reachable, {s.unreachable} unreachable, {s.error} error
          </SummaryCard>
          <SummaryCard title="vCPUs used" figure={usedOf(s.used_vcpus, s.total_vcpus)}>
            {s.physical_vcpus} physical CPUs
          </SummaryCard>
          <SummaryCard title="Memory used" figure={usedOf(s.used_memory, s.total_memory, formatBytes)}>
            {formatBytes(s.physical_memory)} physical
          </SummaryCard>
        </>
      )}
    </SummaryCards>
  );
}

const options = (names: readonly string[]) => [
  { value: '', label: 'Any' },
  ...names.map((label, value) => ({ value: String(value), label })),
];

function HostList({ azUuid, clusterUuid, manage }: { azUuid: string; clusterUuid: string; manage: boolean }) {
  const list = useListState({ name: '', state: '', monitor_state: '' });
  const { data, error } = useQuery({
    queryKey: ['host', 'list', clusterUuid, list.query],
    queryFn: () =>
      client.call('listHost', { params: { path: { AzUuid: azUuid, ClusterUuid: clusterUuid }, query: list.query as never } }),
    placeholderData: keepPreviousData,
    refetchInterval: HOST_REFETCH_MS,
  });
  const columns: Column<Host>[] = [
    {
      key: 'name',
      label: 'Name',
      sortable: true,
      render: (h) => (
        <Link className="nowrap" to={hostsHref(azUuid, clusterUuid, h.uuid)}>
          {h.name}
        </Link>
      ),
    },
    { key: 'state', label: 'State', sortable: true, render: (h) => <StateBadge label={HOST_STATES[h.state]} /> },
    { key: 'monitor_state', label: 'Monitor', sortable: true, render: (h) => <MonitorBadge state={h.monitor_state} /> },
    { key: 'manage_ip', label: 'Manage IP' },
    { key: 'vcpus', label: 'vCPUs used / total', render: (h) => usedOf(h.used_vcpus, h.total_vcpus) },
    { key: 'memory', label: 'Memory used / total', render: (h) => usedOf(h.used_memory, h.total_memory, formatBytes) },
    { key: 'last_operation', label: 'Last operation', render: (h) => <LastOperation host={h} /> },
    { key: 'heartbeat_at', label: 'Last heartbeat', render: (h) => <LastHeartbeat at={h.heartbeat_at} /> },
  ];
  return (
    <>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter hosts by name' },
          { name: 'state', label: 'Filter hosts by state', type: 'select', options: options(HOST_STATES) },
          { name: 'monitor_state', label: 'Filter hosts by monitor state', type: 'select', options: options(MONITOR_STATES) },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Hosts"
        columns={columns}
        rows={data?.elements}
        rowKey={(h) => h.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={manage ? (host) => <HostActions host={host} /> : undefined}
      />
      <ListPager list={list} data={data} />
    </>
  );
}
