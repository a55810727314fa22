import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { client, formatTime, isApiError, type Owner } from '../api';
import { Link, navigate, useSearchParams } from '../router';
import { type Column, ConfirmDialog, DataTable, DetailsList, ErrorNote, FormDialog } from '../ui';
import { formatBytes } from './host-view';
import {
  clusterHref,
  formatRate,
  LastOperation,
  POOL_TYPES,
  ResourceState,
  type Snapshot,
  TASK_COLUMNS,
  useRefetchWhileBusy,
  useRefreshWhenSettled,
  type Volume,
} from './storage-view';
import { DeleteVolumeDialog, RenameVolumeDialog } from './VolumeForms';
import { canChangeVolumes, isBusy } from './VolumesPage';

type Dialog =
  | { kind: 'rename' | 'delete' | 'snapshot' }
  | { kind: 'restore'; snapshot: Snapshot }
  | { kind: 'delete-snapshot'; snapshot: Snapshot };

/** One volume (`/volume/{uuid}?az=…&cluster=…`): what it is, its snapshots, its 20 latest tasks, and what may be done to it. */
export default function VolumePage({ uuid, owner }: { uuid: string; owner: Owner }) {
  const queries = useQueryClient();
  const search = useSearchParams();
  const [azUuid, clusterUuid] = [search.get('az'), search.get('cluster')];
  const [dialog, setDialog] = useState<Dialog>();
  const refetchInterval = useRefetchWhileBusy(
    (data: { volume: Volume }) => isBusy(data.volume) || data.volume.snapshots.some(isBusy),
  );
  const { data, error } = useQuery({
    queryKey: ['volume', 'one', uuid],
    queryFn: () =>
      client.call('getVolume', { params: { path: { AzUuid: azUuid!, ClusterUuid: clusterUuid!, VolumeUuid: uuid } } }),
    enabled: Boolean(azUuid && clusterUuid),
    refetchInterval,
    // Another volume's page is no placeholder for this one.
    placeholderData: undefined,
  });
  useRefreshWhenSettled(data ? isBusy(data.volume) || data.volume.snapshots.some(isBusy) : false, ['volume']);
  if (!azUuid || !clusterUuid) return <p>This address names no cluster: open the volume from the Volumes screen.</p>;
  const back = clusterHref('volume', azUuid, clusterUuid);
  const backLink = (
    <p>
      <Link to={back}>← Volumes</Link>
    </p>
  );
  if (isApiError(error, 404)) {
    return (
      <section>
        {backLink}
        <h1>Volume deleted</h1>
        <p>This volume does not exist (any more).</p>
      </section>
    );
  }
  const volume = data?.volume;
  const change = canChangeVolumes(owner);
  const refresh = () => queries.invalidateQueries({ queryKey: ['volume'] });
  const snapshotColumns: Column<Snapshot>[] = [
    { key: 'name', label: 'Name' },
    { key: 'state', label: 'State', render: (s) => <ResourceState kind="snapshot" state={s.state} operation={s.operation} /> },
    { key: 'volume_version', label: 'Keeps version' },
    { key: 'last_operation', label: 'Last operation', render: (s) => <LastOperation of={s} /> },
    { key: 'description', label: 'Description' },
    { key: 'created_at', label: 'Taken', render: (s) => formatTime(s.created_at) },
  ];
  return (
    <section>
      {backLink}
      <header className="page-header">
        <h1>Volume {volume?.name ?? ''}</h1>
        {volume && change && (
          <div className="actions">
            <button type="button" onClick={() => setDialog({ kind: 'rename' })}>
              Rename
            </button>
            <button type="button" onClick={() => setDialog({ kind: 'snapshot' })}>
              Take snapshot
            </button>
            <button type="button" onClick={() => setDialog({ kind: 'delete' })}>
              Delete
            </button>
          </div>
        )}
      </header>
      <ErrorNote error={error} />
      {volume && <VolumeDetails volume={volume} />}
      <h2 className="subsection">Snapshots</h2>
      <DataTable
        caption="Snapshots"
        columns={snapshotColumns}
        rows={volume?.snapshots}
        rowKey={(s) => s.uuid}
        actions={
          change
            ? (snapshot) => (
                <>
                  <button
                    type="button"
                    onClick={() => setDialog({ kind: 'restore', snapshot })}
                    aria-label={`Restore ${snapshot.name}`}
                  >
                    Restore
                  </button>
                  <button
                    type="button"
                    onClick={() => setDialog({ kind: 'delete-snapshot', snapshot })}
                    aria-label={`Delete ${snapshot.name}`}
                  >
                    Delete
                  </button>
                </>
              )
            : undefined
        }
      />
      <h2 className="subsection">Recent tasks</h2>
      <DataTable caption="Recent tasks" columns={TASK_COLUMNS} rows={volume?.tasks} rowKey={(task) => task.uuid} />
      {volume && dialog?.kind === 'rename' && <RenameVolumeDialog volume={volume} onClose={() => setDialog(undefined)} />}
      {volume && dialog?.kind === 'delete' && (
        <DeleteVolumeDialog volume={volume} onDeleted={() => navigate(back)} onClose={() => setDialog(undefined)} />
      )}
      {volume && dialog?.kind === 'snapshot' && (
        <FormDialog
          title={`Take a snapshot of ${volume.name}`}
          fields={[
            { name: 'name', label: 'Name', required: true },
            { name: 'description', label: 'Description' },
          ]}
          initial={{ name: '', description: '' }}
          submitLabel="Take snapshot"
          warning="The snapshot keeps the volume as it is now; the volume is busy until its host's agent has taken it."
          onSubmit={async (values) => {
            await client.call('createSnapshot', {
              params: { path: { VolumeUuid: volume.uuid } },
              body: { name: String(values.name), description: values.description ? String(values.description) : undefined },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {volume && dialog?.kind === 'restore' && (
        <ConfirmDialog
          title={`Restore ${volume.name}`}
          question={
            `Put ${volume.name} back to the snapshot ${dialog.snapshot.name} (version ${dialog.snapshot.volume_version})? ` +
            'What was written since is lost. The volume must be available (not attached to a VM) and idle.'
          }
          confirmLabel="Restore"
          onConfirm={async () => {
            await client.call('restoreVolume', {
              params: { path: { VolumeUuid: volume.uuid, SnapshotUuid: dialog.snapshot.uuid } },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {volume && dialog?.kind === 'delete-snapshot' && (
        <ConfirmDialog
          title={`Delete ${dialog.snapshot.name}`}
          question={`Delete the snapshot ${dialog.snapshot.name}? Its host's agent deletes it (a failed one goes at once).`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteSnapshot', {
              params: { path: { VolumeUuid: volume.uuid, SnapshotUuid: dialog.snapshot.uuid } },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}

function VolumeDetails({ volume }: { volume: Volume }) {
  const rows: [string, ReactNode][] = [
    ['UUID', <code key="uuid">{volume.uuid}</code>],
    ['State', <ResourceState key="state" kind="volume" state={volume.state} operation={volume.operation} />],
    ...(volume.operation ? ([['Running', <code key="operation">{volume.operation}</code>]] as [string, ReactNode][]) : []),
    ['Size', formatBytes(volume.size)],
    ['Volume spec', volume.spec_name],
    ['Performance', `${volume.iops} IOPS, ${formatRate(volume.throughput)}`],
    ['Storage pool', `${volume.storage_pool_name} (${POOL_TYPES[volume.storage_pool_type]})`],
    ['Host', volume.host_name ? `${volume.host_name} (${volume.host_ip})` : 'gone'],
    ['Image', volume.image_name || 'none'],
    ['Install path', volume.install_path || 'not created yet'],
    ['Version', `${volume.version} (parent ${volume.parent_version})`],
    ['Last operation', <LastOperation key="last" of={volume} />],
    ['Description', volume.description],
    ['Created', formatTime(volume.created_at)],
  ];
  return <DetailsList rows={rows} />;
}
