import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { canManageInfrastructure, client, type Owner } from '../api';
import { Link, navigate, useSearchParams } from '../router';
import { type Column, DataTable, ErrorNote, FilterBar, Pager, useListState } from '../ui';
import { useAllClusters, useAllZones, useOwnDefault } from './ClustersPage';
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
import { WaitingClients } from './WaitingClients';

/**
 * The Host family: the nodes waiting to be adopted, then the hosts of the cluster picked (AZ and
 * cluster in the URL, starting at the user's defaults), with the cluster's summary.
 */
export default function HostsPage({ owner }: { owner: Owner }) {
  const manage = canManageInfrastructure(owner);
  const search = useSearchParams();
  const ownDefault = useOwnDefault(owner).data?.default;
  const zones = useAllZones();
  const zoneList = zones.data?.elements ?? [];
  const wantedAz = search.get('az') ?? ownDefault?.az_uuid;
  const azUuid = zoneList.some((az) => az.uuid === wantedAz) ? wantedAz! : zoneList[0]?.uuid;
  const clusters = useAllClusters(azUuid);
  // While another AZ's clusters load, the previous AZ's are no choice.
  const clusterList = (clusters.data?.elements ?? []).filter((cluster) => cluster.az_uuid === azUuid);
  const wantedCluster = search.get('cluster') ?? (azUuid === ownDefault?.az_uuid ? ownDefault?.clusters_uuid : undefined);
  const clusterUuid = clusterList.some((c) => c.uuid === wantedCluster) ? wantedCluster! : clusterList[0]?.uuid;
  const azPicker = useId();
  const clusterPicker = useId();
  return (
    <section>
      <header className="page-header">
        <h1>Hosts</h1>
      </header>
      <WaitingClients manage={manage} placement={{ azUuid, clusterUuid }} />
      <h2 className="subsection">Hosts by cluster</h2>
      <div className="parent-picker">
        <label htmlFor={azPicker}>Availability zone</label>
        <select id={azPicker} value={azUuid ?? ''} onChange={(event) => navigate(hostsHref(event.target.value))}>
          {zoneList.map((az) => (
            <option key={az.uuid} value={az.uuid}>
              {az.name}
            </option>
          ))}
        </select>
      </div>
      <div className="parent-picker">
        <label htmlFor={clusterPicker}>Cluster</label>
        <select
          id={clusterPicker}
          value={clusterUuid ?? ''}
          onChange={(event) => navigate(hostsHref(azUuid!, event.target.value))}
        >
          {clusterList.map((cluster) => (
            <option key={cluster.uuid} value={cluster.uuid}>
              {cluster.name}
              {cluster.state === 0 ? ' (disabled)' : ''}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={zones.error ?? clusters.error} />
      {zones.data && zoneList.length === 0 && <p>There is no availability zone yet: create one first.</p>}
      {clusters.data && azUuid && clusterList.length === 0 && <p>There is no cluster in this availability zone yet.</p>}
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
    <div className="cards" role="group" aria-label="Cluster summary">
      <ErrorNote error={error} />
      {s && (
        <>
          <article className="card">
            <h3>Hosts</h3>
            <p className="big">{s.hosts}</p>
            <p>
              {s.enabled} enabled, {s.disabled} disabled, {s.suspended} suspended
            </p>
          </article>
          <article className="card">
            <h3>Monitor</h3>
            <p>
              {s.reachable} reachable, {s.unreachable} unreachable, {s.error} error
            </p>
          </article>
          <article className="card">
            <h3>vCPUs used</h3>
            <p className="big">{usedOf(s.used_vcpus, s.total_vcpus)}</p>
            <p>{s.physical_vcpus} physical CPUs</p>
          </article>
          <article className="card">
            <h3>Memory used</h3>
            <p className="big">{usedOf(s.used_memory, s.total_memory, formatBytes)}</p>
            <p>{formatBytes(s.physical_memory)} physical</p>
          </article>
        </>
      )}
    </div>
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
      <Pager
        page={list.page}
        size={list.size}
        total={data?.total}
        shown={data?.size ?? 0}
        onPage={list.setPage}
        onSize={list.setSize}
      />
    </>
  );
}
