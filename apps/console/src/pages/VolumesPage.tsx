import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import { Link } from '../router';
import { type Column, DataTable, ErrorNote, FilterBar, ListPager, SummaryCard, SummaryCards, useListState } from '../ui';
import { formatBytes } from './host-view';
import {
  clusterHref,
  LastOperation,
  ResourceState,
  STATE_NAMES,
  stateOptions,
  useClusterPicker,
  useRefetchWhileBusy,
  useRefreshWhenSettled,
  type Volume,
} from './storage-view';
import { CreateVolumeDialog } from './VolumeForms';

/** A user creates and changes its own volumes; read-only administrators only read (the server refuses them 403). */
export const canChangeVolumes = (owner: Owner) => owner.role !== 1;

/** A volume something runs on, or that is still being created: its row changes soon. */
export const isBusy = (volume: Pick<Volume, 'operation' | 'state'>) => volume.operation !== '' || volume.state === 0;

/**
 * The volumes of the cluster picked (a user's own; administrators see all), with their state as it
 * changes, and a form to create one.
 */
export default function VolumesPage({ owner }: { owner: Owner }) {
  const { azUuid, clusterUuid, pickers, error } = useClusterPicker(owner, 'volume');
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <header className="page-header">
        <h1>Volumes</h1>
        {canChangeVolumes(owner) && azUuid && clusterUuid && (
          <button type="button" onClick={() => setCreating(true)}>
            New volume
          </button>
        )}
      </header>
      {pickers}
      <ErrorNote error={error} />
      <VolumeSummary owner={owner} />
      {azUuid && clusterUuid && <VolumeList key={clusterUuid} azUuid={azUuid} clusterUuid={clusterUuid} />}
      {creating && azUuid && clusterUuid && (
        <CreateVolumeDialog owner={owner} azUuid={azUuid} clusterUuid={clusterUuid} onClose={() => setCreating(false)} />
      )}
    </section>
  );
}

/** getVolumeStatistic: over every cluster, a user's own volumes. */
function VolumeSummary({ owner }: { owner: Owner }) {
  const { data, error } = useQuery({
    queryKey: ['volume', 'statistic'],
    queryFn: () => client.call('getVolumeStatistic'),
  });
  const s = data?.volume_statistic;
  return (
    <SummaryCards label="Volume summary" error={error}>
      {s && (
        <>
          <SummaryCard title={`${owner.role === 0 ? 'Your volumes' : 'Volumes'} (all clusters)`} figure={s.volumes}>
            {s.available} available, {s.in_use} in use, {s.unavailable} being created, {s.failed} failed
          </SummaryCard>
          <SummaryCard title="Claimed" figure={formatBytes(s.size)}>
            {s.snapshots} snapshots
          </SummaryCard>
        </>
      )}
    </SummaryCards>
  );
}

function VolumeList({ azUuid, clusterUuid }: { azUuid: string; clusterUuid: string }) {
  const list = useListState({ name: '', state: '' });
  const refetchInterval = useRefetchWhileBusy((page: { elements: Volume[] }) => page.elements.some(isBusy));
  const { data, error } = useQuery({
    queryKey: ['volume', 'list', clusterUuid, list.query],
    queryFn: () =>
      client.call('listVolume', { params: { path: { AzUuid: azUuid, ClusterUuid: clusterUuid }, query: list.query as never } }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  useRefreshWhenSettled(data?.elements.some(isBusy) ?? false, ['volume']);
  const columns: Column<Volume>[] = [
    {
      key: 'name',
      label: 'Name',
      sortable: true,
      render: (v) => (
        <Link className="nowrap" to={clusterHref('volume', azUuid, clusterUuid, v.uuid)}>
          {v.name}
        </Link>
      ),
    },
    {
      key: 'state',
      label: 'State',
      sortable: true,
      render: (v) => <ResourceState kind="volume" state={v.state} operation={v.operation} />,
    },
    { key: 'size', label: 'Size', sortable: true, render: (v) => formatBytes(v.size) },
    { key: 'spec_name', label: 'Volume spec' },
    { key: 'host_name', label: 'Host' },
    { key: 'image_name', label: 'Image' },
    { key: 'snapshot_count', label: 'Snapshots' },
    { key: 'last_operation', label: 'Last operation', render: (v) => <LastOperation of={v} /> },
    { key: 'created_at', label: 'Created', sortable: true, render: (v) => formatTime(v.created_at) },
  ];
  return (
    <>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter volumes by name' },
          { name: 'state', label: 'Filter volumes by state', type: 'select', options: stateOptions(STATE_NAMES.volume) },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Volumes"
        columns={columns}
        rows={data?.elements}
        rowKey={(v) => v.uuid}
        sort={list.sort}
        onSort={list.setSort}
      />
      <ListPager list={list} data={data} />
    </>
  );
}
