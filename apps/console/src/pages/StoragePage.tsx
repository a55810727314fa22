import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { canManageInfrastructure, client, type Owner } from '../api';
import {
  ConfirmDialog,
  DataTable,
  ErrorNote,
  type FieldSpec,
  FormDialog,
  type FormValues,
  ListPager,
  RowButton,
  SummaryCard,
  SummaryCards,
  useListState,
} from '../ui';
import { formatBytes } from './host-view';
import { fromGib, POOL_COLUMNS, POOL_TYPES, type StoragePool, toGib, UsageBar, useClusterPicker } from './storage-view';
import { VolumeSpecs } from './VolumeSpecs';

/**
 * Storage pools of the cluster picked (AZ and cluster in the URL, starting at the user's defaults),
 * what their volumes claim of them, and the volume specs: those registered in the cluster, and all.
 * Everyone may read them; administrators change them.
 */
export default function StoragePage({ owner }: { owner: Owner }) {
  const manage = canManageInfrastructure(owner);
  const { azUuid, clusterUuid, pickers, error } = useClusterPicker(owner, 'storage');
  return (
    <section>
      <header className="page-header">
        <h1>Storage</h1>
      </header>
      {pickers}
      <ErrorNote error={error} />
      {azUuid && clusterUuid && (
        <>
          <PoolSummary clusterUuid={clusterUuid} />
          <Pools key={clusterUuid} azUuid={azUuid} clusterUuid={clusterUuid} manage={manage} />
          <VolumeSpecs key={`specs-${clusterUuid}`} azUuid={azUuid} clusterUuid={clusterUuid} manage={manage} />
        </>
      )}
    </section>
  );
}

/** getStoragePoolStatistic of the cluster. */
function PoolSummary({ clusterUuid }: { clusterUuid: string }) {
  const { data, error } = useQuery({
    queryKey: ['storage', 'statistic', clusterUuid],
    queryFn: () => client.call('getStoragePoolStatistic', { params: { query: { cluster_uuid: clusterUuid } } }),
  });
  const s = data?.storage_pool_statistic;
  return (
    <SummaryCards label="Storage summary" error={error}>
      {s && (
        <>
          <SummaryCard title="Pools" figure={s.storage_pools}>
            holding {s.volumes} volumes
          </SummaryCard>
          <SummaryCard title="Claimed by volumes" figure={formatBytes(s.used_size)}>
            <UsageBar used={s.used_size} total={s.total_size} label="Claimed of the cluster's pools" />,{' '}
            {formatBytes(s.free_size)} free
          </SummaryCard>
          <SummaryCard title="Physical" figure={formatBytes(s.physical_size)}>
            {formatBytes(s.reserved_size)} reserved
          </SummaryCard>
        </>
      )}
    </SummaryCards>
  );
}

type Dialog = { kind: 'create' } | { kind: 'edit'; pool: StoragePool } | { kind: 'delete'; pool: StoragePool };

const POOL_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'description', label: 'Description' },
  { name: 'type', label: 'Type', type: 'select', options: POOL_TYPES.map((label, value) => ({ value: String(value), label })) },
  { name: 'physical_size', label: 'Physical size (GiB)', type: 'number', min: 0, step: 'any', required: true },
  {
    name: 'size_ratio',
    label: 'Size ratio',
    type: 'number',
    min: 0.01,
    step: 'any',
    hint: 'over-commit: 2 offers twice the physical size',
  },
  { name: 'reserved_size', label: 'Reserved (GiB)', type: 'number', min: 0, step: 'any', hint: 'never given to volumes' },
  { name: 'backend_path', label: 'Backend path', hint: "where volumes go (a local pool: on each host's disk)" },
  { name: 'image_cache_path', label: 'Image cache path', hint: 'where images are cached' },
];

/** The pool's `meta` (a JSON object as text) read for the form; anything unreadable counts as empty. */
function metaOf(pool?: StoragePool): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(pool?.meta ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function poolValues(pool?: StoragePool): FormValues {
  const meta = metaOf(pool);
  return {
    name: pool?.name ?? '',
    description: pool?.description ?? '',
    type: String(pool?.type ?? 0),
    physical_size: pool ? toGib(pool.physical_size) : '',
    size_ratio: String(pool?.size_ratio ?? 1),
    reserved_size: pool ? toGib(pool.reserved_size) : '0',
    backend_path: typeof meta.backend_path === 'string' ? meta.backend_path : '/chime/backend',
    image_cache_path: typeof meta.image_cache_path === 'string' ? meta.image_cache_path : '/chime/cache',
  };
}

/**
 * The request body from the form. With `pool`, only what the user changed (sizes shown rounded to
 * GiB are not rewritten); the paths go into `meta`, keeping its other keys.
 */
function poolBody(values: FormValues, pool?: StoragePool) {
  const initial = pool ? poolValues(pool) : undefined;
  const changed = (name: string) => !initial || values[name] !== initial[name];
  const metaChanged = changed('backend_path') || changed('image_cache_path');
  return {
    name: changed('name') ? String(values.name) : undefined,
    description: changed('description') ? String(values.description) : undefined,
    type: changed('type') ? (Number(values.type) as StoragePool['type']) : undefined,
    physical_size: changed('physical_size') ? fromGib(values.physical_size) : undefined,
    size_ratio: changed('size_ratio') ? Number(values.size_ratio) : undefined,
    reserved_size: changed('reserved_size') ? fromGib(values.reserved_size) : undefined,
    meta: metaChanged
      ? JSON.stringify({ ...metaOf(pool), backend_path: values.backend_path, image_cache_path: values.image_cache_path })
      : undefined,
  };
}

function Pools({ azUuid, clusterUuid, manage }: { azUuid: string; clusterUuid: string; manage: boolean }) {
  const queries = useQueryClient();
  const list = useListState();
  const [dialog, setDialog] = useState<Dialog>();
  const path = { AzUuid: azUuid, ClusterUuid: clusterUuid };
  const { data, error } = useQuery({
    queryKey: ['storage', 'pools', clusterUuid, list.query],
    queryFn: () => client.call('listStoragePool', { params: { path, query: list.query as never } }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['storage'] });
  return (
    <section aria-labelledby="pools-heading">
      <header className="page-header">
        <h2 id="pools-heading">Storage pools</h2>
        {manage && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New storage pool
          </button>
        )}
      </header>
      <ErrorNote error={error} />
      <DataTable
        caption="Storage pools"
        columns={POOL_COLUMNS}
        rows={data?.elements}
        rowKey={(p) => p.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          manage
            ? (pool) => (
                <>
                  <RowButton action="Edit" name={pool.name} onClick={() => setDialog({ kind: 'edit', pool })} />
                  <RowButton action="Delete" name={pool.name} onClick={() => setDialog({ kind: 'delete', pool })} />
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && (
        <FormDialog
          title="New storage pool"
          fields={POOL_FIELDS}
          initial={poolValues()}
          submitLabel="Create"
          onSubmit={async (values) => {
            await client.call('createStoragePool', {
              params: { path },
              body: { ...poolBody(values), name: String(values.name), physical_size: fromGib(values.physical_size) },
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormDialog
          title={`Edit ${dialog.pool.name}`}
          fields={POOL_FIELDS}
          initial={poolValues(dialog.pool)}
          submitLabel="Save"
          warning={`Volumes claim ${formatBytes(dialog.pool.used_size)}: the total may not go below that, and the type changes only while the pool is empty.`}
          onSubmit={async (values) => {
            await client.call('updateStoragePool', {
              params: { path: { ...path, StoragePoolUuid: dialog.pool.uuid } },
              body: poolBody(values, dialog.pool),
            });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.pool.name}`}
          question={`Delete the storage pool ${dialog.pool.name}? A pool holding volumes or volume specs is not deleted.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteStoragePool', { params: { path: { ...path, StoragePoolUuid: dialog.pool.uuid } } });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}
