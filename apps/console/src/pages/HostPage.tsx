import { useQuery } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import { canManageInfrastructure, client, formatTime, type Owner } from '../api';
import { Link, navigate, useSearchParams } from '../router';
import { type Column, DataTable, DetailsList, ErrorNote } from '../ui';
import { ComputeState, type Vm, VM_STATES, vmHref } from './compute-view';
import { HostActions } from './HostActions';
import { HostMoveActions, HostMoveProgress } from './HostMoves';
import {
  formatBytes,
  HOST_REFETCH_MS,
  HOST_STATES,
  type Host,
  hostsHref,
  LastHeartbeat,
  LastOperation,
  MonitorBadge,
  type Network,
  NETWORK_TYPES,
  StateBadge,
} from './host-view';
import { POOL_COLUMNS, type StoragePool, TASK_COLUMNS } from './storage-view';

/**
 * One host (`/host/{uuid}?az=…&cluster=…`): its node, capacity and state, the storage pools and
 * networks of its cluster, and its 20 latest tasks.
 */
export default function HostPage({ uuid, owner }: { uuid: string; owner: Owner }) {
  const search = useSearchParams();
  const [azUuid, clusterUuid] = [search.get('az'), search.get('cluster')];
  const { data, error } = useQuery({
    queryKey: ['host', 'one', uuid],
    queryFn: () => client.call('getHost', { params: { path: { AzUuid: azUuid!, ClusterUuid: clusterUuid!, HostUuid: uuid } } }),
    enabled: Boolean(azUuid && clusterUuid),
    refetchInterval: HOST_REFETCH_MS,
  });
  if (!azUuid || !clusterUuid) return <p>This address names no cluster: open the host from the Hosts screen.</p>;
  const host = data?.host;
  const back = hostsHref(azUuid, clusterUuid);
  return (
    <section>
      <p>
        <Link to={back}>← Hosts</Link>
      </p>
      <header className="page-header">
        <h1>Host {host?.name ?? ''}</h1>
        {host && canManageInfrastructure(owner) && (
          <div className="actions">
            <HostActions host={host} onDeleted={() => navigate(back)} />
            <HostMoveActions host={host} />
          </div>
        )}
      </header>
      <ErrorNote error={error} />
      {host && <HostDetails host={host} />}
      {host && <HostMoveProgress host={host} />}
      <h2>VMs</h2>
      {/* getHost fills these from the compute module (schema Vm). */}
      <DataTable caption="VMs" columns={VM_COLUMNS} rows={host?.vms as Vm[] | undefined} rowKey={(vm) => vm.uuid} />
      <h2>Storage pools</h2>
      {/* getHost fills these from the storage and networks modules; its schema types them as plain objects. */}
      <DataTable
        caption="Storage pools"
        columns={POOL_COLUMNS}
        rows={host?.storage_pools as StoragePool[] | undefined}
        rowKey={(pool) => pool.uuid}
      />
      <h2>Networks</h2>
      <DataTable
        caption="Networks"
        columns={NETWORK_COLUMNS}
        rows={host?.networks as Network[] | undefined}
        rowKey={(network) => network.uuid}
      />
      <h2>Recent tasks</h2>
      <DataTable caption="Recent tasks" columns={TASK_COLUMNS} rows={host?.tasks} rowKey={(task) => task.uuid} />
    </section>
  );
}

const VM_COLUMNS: Column<Vm>[] = [
  { key: 'name', label: 'Name', render: (vm) => <Link to={vmHref(vm.uuid)}>{vm.name}</Link> },
  { key: 'state', label: 'State', render: (vm) => <ComputeState states={VM_STATES} state={vm.state} operation={vm.operation} /> },
  { key: 'vcpus', label: 'vCPUs' },
  { key: 'memory', label: 'Memory', render: (vm) => formatBytes(vm.memory) },
];

const NETWORK_COLUMNS: Column<Network>[] = [
  { key: 'name', label: 'Name' },
  { key: 'type', label: 'Type', render: (n) => NETWORK_TYPES[n.type] },
  { key: 'vlan_id', label: 'VLAN id / VNI' },
  { key: 'bridge_name', label: 'Bridge' },
  { key: 'interface_name', label: 'Interface' },
  { key: 'description', label: 'Description' },
];

function HostDetails({ host }: { host: Host }) {
  const monitorMessage = useMonitorMessage(host);
  const rows: [string, ReactNode][] = [
    ['UUID', <code key="uuid">{host.uuid}</code>],
    ['Cluster', host.cluster_name],
    ['Description', host.description],
    ['State', <StateBadge key="state" label={HOST_STATES[host.state]} />],
    ['Monitor', <MonitorBadge key="monitor" state={host.monitor_state} message={monitorMessage} />],
    ...(monitorMessage ? ([['Problem reported', monitorMessage]] as [string, ReactNode][]) : []),
    ['Last heartbeat', <LastHeartbeat key="heartbeat" at={host.heartbeat_at} />],
    ['Rack', host.rack_name],
    ['Manage IP', host.manage_ip],
    ['Node IP', host.node_ip],
    ['Storage IP', host.storage_ip],
    [
      'vCPUs',
      `${host.used_vcpus} used of ${host.total_vcpus} (${host.physical_vcpus} physical × ${host.cpu_ratio} − ${host.reserved_vcpus} reserved)`,
    ],
    [
      'Memory',
      `${formatBytes(host.used_memory)} used of ${formatBytes(host.total_memory)} (${formatBytes(host.physical_memory)} physical × ` +
        `${host.memory_ratio} − ${formatBytes(host.reserved_memory)} reserved)`,
    ],
    ['Domains', `${host.active_domains} running of ${host.domains}`],
    ['VMs', `${host.vm_running_count} running of ${host.vm_count}`],
    ['Last operation', <LastOperation key="operation" host={host} />],
    ['Adopted', formatTime(host.created_at)],
  ];
  return <DetailsList rows={rows} />;
}

/**
 * What the agent reports wrong with a node in error: the host view does not carry it, only its
 * client does, and listClient filters by name, not uuid: the node is found among its namesakes.
 */
function useMonitorMessage(host: Host): string | undefined {
  const { data } = useQuery({
    queryKey: ['host', 'client-of', host.uuid, host.name],
    queryFn: () => client.call('listClient', { params: { query: { all: 1, name: host.name, size: 100 } } }),
    enabled: host.monitor_state === 2,
  });
  return host.monitor_state === 2 ? data?.elements.find((node) => node.uuid === host.uuid)?.monitor_message : undefined;
}
