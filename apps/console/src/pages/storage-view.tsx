import { type Schema } from '@chime/client';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { formatTime, type Owner } from '../api';
import { useLive } from '../live';
import { navigate, useSearchParams } from '../router';
import { type Column } from '../ui';
import { useAllClusters, useAllZones, useOwnDefault } from './ClustersPage';
import { formatBytes, StateBadge, type Task, TASK_STATES, type Tone } from './host-view';

/** How the Storage, Volumes and Images screens show their resources: states as badges, sizes in human units. */

export type StoragePool = Schema<'StoragePool'>;
export type VolumeSpec = Schema<'VolumeSpec'>;
export type ClusterVolumeSpec = Schema<'ClusterVolumeSpec'>;
export type Volume = Schema<'Volume'>;
export type Snapshot = Schema<'Snapshot'>;
export type Image = Schema<'Image'>;
export type ImageBucket = Schema<'ImageBucket'>;

export const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export const POOL_TYPES = ['local', 'iSCSI', 'Ceph'] as const;
export const POOL_STATES = ['unavailable', 'available'] as const;

/** Words and colour of each state number the API uses (10 is "failed" for volumes, snapshots and images alike). */
const VOLUME_STATES: Record<number, [string, Tone]> = {
  0: ['being created', 'neutral'],
  1: ['available', 'ok'],
  2: ['in use', 'ok'],
  10: ['failed', 'bad'],
};
const SNAPSHOT_STATES: Record<number, [string, Tone]> = {
  0: ['being taken', 'neutral'],
  1: ['available', 'ok'],
  10: ['failed', 'bad'],
};
const IMAGE_STATES: Record<number, [string, Tone]> = {
  0: ['being fetched', 'neutral'],
  1: ['available', 'ok'],
  2: ['suspended', 'warn'],
  10: ['failed', 'bad'],
};
export const STATE_NAMES = {
  volume: VOLUME_STATES,
  snapshot: SNAPSHOT_STATES,
  image: IMAGE_STATES,
} as const;

/** Filter options of a state field: Any, then each state by its number. */
export const stateOptions = (states: Record<number, [string, Tone]>) => [
  { value: '', label: 'Any' },
  ...Object.entries(states).map(([value, [label]]) => ({ value, label })),
];

/** A state as a badge; the operation running on it (`Creating#<request id>` …) as its title and beside it. */
export function ResourceState({ kind, state, operation }: { kind: keyof typeof STATE_NAMES; state: number; operation?: string }) {
  const [label, tone] = STATE_NAMES[kind][state] ?? [`state ${state}`, 'neutral'];
  const running = operation ? operation.split('#')[0] : '';
  return (
    <>
      <StateBadge label={label} tone={tone} />
      {running && kind !== 'image' && <span className="operation"> {running.toLowerCase()}…</span>}
    </>
  );
}

/** "12 GiB / 100 GiB" with a bar: what the pool's volumes claim of what it offers. */
export function UsageBar({ used, total, label }: { used: number; total: number; label: string }) {
  return (
    <span className="usage">
      <meter min={0} max={Math.max(total, 1)} value={used} high={total * 0.85} aria-label={label} />{' '}
      <span>
        {formatBytes(used)} / {formatBytes(total)}
      </span>
    </span>
  );
}

/** A pool's row, on the Storage screen (sortable there) and on a host's page. */
export const POOL_COLUMNS: Column<StoragePool>[] = [
  { key: 'name', label: 'Name', sortable: true },
  { key: 'type', label: 'Type', sortable: true, render: (p) => POOL_TYPES[p.type] },
  { key: 'state', label: 'State', sortable: true, render: (p) => POOL_STATES[p.state] },
  {
    key: 'used_size',
    label: 'Claimed / total',
    sortable: true,
    render: (p) => <UsageBar used={p.used_size} total={p.total_size} label={`Claimed of ${p.name}`} />,
  },
  {
    key: 'physical_size',
    label: 'Capacity',
    sortable: true,
    render: (p) => `${formatBytes(p.physical_size)} × ${p.size_ratio} − ${formatBytes(p.reserved_size)} reserved`,
  },
  { key: 'description', label: 'Description' },
];

/** 10485760 → "10 MiB/s". */
export const formatRate = (bytesPerSecond: number) => `${formatBytes(bytesPerSecond)}/s`;
export const toMib = (bytes: number) => String(Number((bytes / MIB).toFixed(3)));
export const fromMib = (value: string | boolean) => Math.round(Number(value) * MIB);
export const toGib = (bytes: number) => String(Number((bytes / GIB).toFixed(3)));
export const fromGib = (value: string | boolean) => Math.round(Number(value) * GIB);

/** ChimeStack's rule for a volume's IOPS and throughput (the server's perGib): the spec's step per GiB, within its bounds. */
export const perGib = (step: number, min: number, max: number, size: number) =>
  Math.min(max, Math.max(min, step * Math.ceil(size / GIB)));

/** The last task of a volume or snapshot: its name and outcome. */
export function LastOperation({ of }: { of: Pick<Volume, 'last_operation_name' | 'last_operation_state'> }) {
  if (!of.last_operation_name) return <>none</>;
  return (
    <>
      {of.last_operation_name} <StateBadge label={TASK_STATES[of.last_operation_state]} />
    </>
  );
}

export const TASK_COLUMNS: Column<Task>[] = [
  { key: 'operation_name', label: 'Operation' },
  { key: 'state', label: 'State', render: (t) => <StateBadge label={TASK_STATES[t.state]} /> },
  { key: 'message', label: 'Message' },
  { key: 'created_at', label: 'Created', render: (t) => formatTime(t.created_at) },
  { key: 'finished_at', label: 'Finished', render: (t) => formatTime(t.finished_at) },
  { key: 'request_id', label: 'Request id', render: (t) => <code>{t.request_id}</code> },
];

/**
 * Tasks run on nodes and their outcomes arrive as events. A tab on the event stream is told; one
 * without (a user: focus + 30 s) refetches this often while something it shows is under way.
 */
const BUSY_REFETCH_MS = 1_500;

/** A query's refetch interval: quick while `busy(data)` holds and no event stream tells us, else the tab's usual one. */
export function useRefetchWhileBusy<T>(busy: (data: T) => boolean) {
  const queries = useQueryClient();
  const { status } = useLive();
  const usual = queries.getDefaultOptions().queries?.refetchInterval;
  return (query: { state: { data?: T } }): number | false => {
    if (status !== 'live' && query.state.data !== undefined && busy(query.state.data)) return BUSY_REFETCH_MS;
    return typeof usual === 'number' ? usual : false;
  };
}

/**
 * Without the event stream, what else a screen shows of the same things (a summary, another list)
 * is refetched once when what was under way has settled, so it does not wait for the 30 s poll.
 */
export function useRefreshWhenSettled(busy: boolean, queryKey: QueryKey) {
  const queries = useQueryClient();
  const { status } = useLive();
  const wasBusy = useRef(busy);
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    if (wasBusy.current && !busy && status !== 'live') void queries.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
    wasBusy.current = busy;
  }, [busy, status, key, queries]);
}

/** `/volume?az=…&cluster=…` (or `/storage…`): a screen's address for a cluster, with a uuid one item's page. */
export const clusterHref = (screen: string, azUuid: string, clusterUuid?: string, uuid?: string) =>
  `/${screen}${uuid ? `/${uuid}` : ''}?${new URLSearchParams({ az: azUuid, ...(clusterUuid ? { cluster: clusterUuid } : {}) })}`;

/**
 * The AZ and cluster a screen shows (Hosts, Storage, Volumes), kept in the URL and starting at the
 * user's defaults, with their pickers. `noZone` is what the screen says while there is no AZ.
 */
export function useClusterPicker(owner: Owner, screen: string, noZone = 'There is no availability zone yet.') {
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
  const pickers = (
    <>
      <div className="parent-picker">
        <label htmlFor={azPicker}>Availability zone</label>
        <select id={azPicker} value={azUuid ?? ''} onChange={(event) => navigate(clusterHref(screen, event.target.value))}>
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
          onChange={(event) => navigate(clusterHref(screen, azUuid!, event.target.value))}
        >
          {clusterList.map((cluster) => (
            <option key={cluster.uuid} value={cluster.uuid}>
              {cluster.name}
              {cluster.state === 0 ? ' (disabled)' : ''}
            </option>
          ))}
        </select>
      </div>
      {zones.data && zoneList.length === 0 && <p>{noZone}</p>}
      {clusters.data && azUuid && clusterList.length === 0 && <p>There is no cluster in this availability zone yet.</p>}
    </>
  );
  return { azUuid, clusterUuid, pickers, error: zones.error ?? clusters.error };
}
