import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime } from '../api';
import {
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorNote,
  type FieldSpec,
  FormDialog,
  type FormValues,
  ListPager,
  RowButton,
  useListState,
} from '../ui';
import { type ClusterVolumeSpec, formatRate, fromMib, toMib, type VolumeSpec } from './storage-view';

type Rule = Pick<VolumeSpec, 'min_iops' | 'max_iops' | 'step_iops' | 'min_throughput' | 'max_throughput' | 'step_throughput'>;

/** "50/GiB, 500–5000": a spec's IOPS rule, and its throughput rule in bytes per second. */
const iopsRule = (s: Rule) => `${s.step_iops}/GiB, ${s.min_iops}–${s.max_iops}`;
const throughputRule = (s: Rule) =>
  `${formatRate(s.step_throughput)} per GiB, ${formatRate(s.min_throughput)}–${formatRate(s.max_throughput)}`;

/** Everything registered in a cluster, and every spec (for pickers: the largest page the API allows). */
export function useClusterSpecs(azUuid: string | undefined, clusterUuid: string | undefined) {
  return useQuery({
    queryKey: ['storage', 'registered', clusterUuid, 'all'],
    queryFn: () =>
      client.call('listClusterVolumeSpecRelation', {
        params: { path: { AzUuid: azUuid!, ClusterUuid: clusterUuid! }, query: { size: 1000, sort: 'name', order: 'asc' } },
      }),
    enabled: Boolean(azUuid && clusterUuid),
  });
}

/** The volume specs registered in the cluster picked (what volumes there may be made of), then every spec. */
export function VolumeSpecs({ azUuid, clusterUuid, manage }: { azUuid: string; clusterUuid: string; manage: boolean }) {
  return (
    <>
      <Registered azUuid={azUuid} clusterUuid={clusterUuid} manage={manage} />
      <AllSpecs manage={manage} />
    </>
  );
}

function Registered({ azUuid, clusterUuid, manage }: { azUuid: string; clusterUuid: string; manage: boolean }) {
  const queries = useQueryClient();
  const path = { AzUuid: azUuid, ClusterUuid: clusterUuid };
  const [registering, setRegistering] = useState(false);
  const [unregistering, setUnregistering] = useState<ClusterVolumeSpec>();
  const list = useListState();
  const { data, error } = useQuery({
    queryKey: ['storage', 'registered', clusterUuid, list.query],
    queryFn: () => client.call('listClusterVolumeSpecRelation', { params: { path, query: list.query as never } }),
    placeholderData: keepPreviousData,
  });
  const columns: Column<ClusterVolumeSpec>[] = [
    { key: 'name', label: 'Name', sortable: true, render: (s) => s.volume_spec_name },
    { key: 'iops', label: 'IOPS', render: iopsRule },
    { key: 'throughput', label: 'Throughput', render: throughputRule },
    { key: 'created_at', label: 'Registered', sortable: true, render: (s) => formatTime(s.created_at) },
  ];
  return (
    <section aria-labelledby="registered-heading" className="subsection">
      <header className="page-header">
        <h2 id="registered-heading">Volume specs of this cluster</h2>
        {manage && (
          <button type="button" onClick={() => setRegistering(true)}>
            Register a volume spec
          </button>
        )}
      </header>
      <ErrorNote error={error} />
      <DataTable
        caption="Volume specs of this cluster"
        columns={columns}
        rows={data?.elements}
        rowKey={(s) => s.volume_spec_uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          manage
            ? (spec) => <RowButton action="Unregister" name={spec.volume_spec_name} onClick={() => setUnregistering(spec)} />
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {registering && <RegisterDialog azUuid={azUuid} clusterUuid={clusterUuid} onClose={() => setRegistering(false)} />}
      {unregistering && (
        <ConfirmDialog
          title={`Unregister ${unregistering.volume_spec_name}`}
          question={`Unregister ${unregistering.volume_spec_name} from this cluster? No new volume of it can be made here; existing volumes stay.`}
          confirmLabel="Unregister"
          onConfirm={async () => {
            await client.call('deleteClusterVolumeSpecRelation', {
              params: { path: { ...path, VolumeSpecUuid: unregistering.volume_spec_uuid } },
            });
            await queries.invalidateQueries({ queryKey: ['storage'] });
          }}
          onClose={() => setUnregistering(undefined)}
        />
      )}
    </section>
  );
}

/** The specs whose pool is in this cluster and that are not registered here yet (the server refuses the others). */
function RegisterDialog({ azUuid, clusterUuid, onClose }: { azUuid: string; clusterUuid: string; onClose: () => void }) {
  const queries = useQueryClient();
  const path = { AzUuid: azUuid, ClusterUuid: clusterUuid };
  const pools = useQuery({
    queryKey: ['storage', 'pools', clusterUuid, 'all'],
    queryFn: () => client.call('listStoragePool', { params: { path, query: { size: 1000 } } }),
  });
  const specs = useQuery({
    queryKey: ['storage', 'specs', 'all'],
    queryFn: () => client.call('listVolumeSpec', { params: { query: { size: 1000, sort: 'name', order: 'asc' } } }),
  });
  const registered = useClusterSpecs(azUuid, clusterUuid);
  const here = new Set(pools.data?.elements.map((pool) => pool.uuid));
  const taken = new Set(registered.data?.elements.map((spec) => spec.volume_spec_uuid));
  const choices = (specs.data?.elements ?? []).filter((spec) => here.has(spec.storage_pool_uuid) && !taken.has(spec.uuid));
  return (
    <FormDialog
      title="Register a volume spec"
      fields={[
        {
          name: 'volume_spec_uuid',
          label: 'Volume spec',
          type: 'select',
          required: true,
          options: [
            { value: '', label: choices.length ? 'Pick a volume spec' : 'No spec of this cluster’s pools is left to register' },
            ...choices.map((spec) => ({ value: spec.uuid, label: `${spec.name} (pool ${spec.storage_pool_name})` })),
          ],
          hint: "Only specs of this cluster's pools can be registered here.",
        },
      ]}
      initial={{ volume_spec_uuid: '' }}
      submitLabel="Register"
      onSubmit={async (values) => {
        await client.call('createClusterVolumeSpecRelation', {
          params: { path },
          body: { volume_spec_uuid: String(values.volume_spec_uuid) },
        });
        await queries.invalidateQueries({ queryKey: ['storage'] });
      }}
      onClose={onClose}
    />
  );
}

type Dialog = { kind: 'create' } | { kind: 'edit'; spec: VolumeSpec } | { kind: 'delete'; spec: VolumeSpec };

function specValues(spec?: VolumeSpec): FormValues {
  return {
    name: spec?.name ?? '',
    description: spec?.description ?? '',
    storage_pool_uuid: spec?.storage_pool_uuid ?? '',
    min_iops: String(spec?.min_iops ?? 500),
    max_iops: String(spec?.max_iops ?? 5000),
    step_iops: String(spec?.step_iops ?? 50),
    min_throughput: spec ? toMib(spec.min_throughput) : '10',
    max_throughput: spec ? toMib(spec.max_throughput) : '100',
    step_throughput: spec ? toMib(spec.step_throughput) : '1',
  };
}

/** The body from the form; with `spec`, only what changed. Throughputs are typed in MiB/s, the API takes bytes/s. */
function specBody(values: FormValues, spec?: VolumeSpec) {
  const initial = spec ? specValues(spec) : undefined;
  const changed = (name: string) => !initial || values[name] !== initial[name];
  const text = (name: string) => (changed(name) ? String(values[name]) : undefined);
  const number = (name: string) => (changed(name) ? Number(values[name]) : undefined);
  const rate = (name: string) => (changed(name) ? fromMib(values[name]) : undefined);
  return {
    name: text('name'),
    description: text('description'),
    storage_pool_uuid: text('storage_pool_uuid'),
    min_iops: number('min_iops'),
    max_iops: number('max_iops'),
    step_iops: number('step_iops'),
    min_throughput: rate('min_throughput'),
    max_throughput: rate('max_throughput'),
    step_throughput: rate('step_throughput'),
  };
}

function SpecDialog({ spec, onClose }: { spec?: VolumeSpec; onClose: () => void }) {
  const queries = useQueryClient();
  const pools = useQuery({
    queryKey: ['storage', 'pools', 'everywhere'],
    queryFn: () => client.call('listStoragePoolAll', { params: { query: { size: 1000, sort: 'name', order: 'asc' } } }),
  });
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description' },
    {
      name: 'storage_pool_uuid',
      label: 'Storage pool',
      type: 'select',
      required: true,
      options: [
        { value: '', label: 'Pick a storage pool' },
        ...(pools.data?.elements ?? []).map((pool) => ({
          value: pool.uuid,
          label: `${pool.name} (cluster ${pool.cluster_name})`,
        })),
      ],
    },
    { name: 'step_iops', label: 'IOPS per GiB', type: 'number', min: 0, required: true },
    { name: 'min_iops', label: 'Minimum IOPS', type: 'number', min: 0, required: true },
    { name: 'max_iops', label: 'Maximum IOPS', type: 'number', min: 0, required: true },
    { name: 'step_throughput', label: 'Throughput per GiB (MiB/s)', type: 'number', min: 0, step: 'any', required: true },
    { name: 'min_throughput', label: 'Minimum throughput (MiB/s)', type: 'number', min: 0, step: 'any', required: true },
    { name: 'max_throughput', label: 'Maximum throughput (MiB/s)', type: 'number', min: 0, step: 'any', required: true },
  ];
  return (
    <FormDialog
      title={spec ? `Edit ${spec.name}` : 'New volume spec'}
      fields={fields}
      initial={specValues(spec)}
      submitLabel={spec ? 'Save' : 'Create'}
      warning="A volume gets IOPS = per GiB × its size, kept between the minimum and the maximum; throughput likewise."
      onSubmit={async (values) => {
        if (spec) {
          await client.call('updateVolumeSpec', {
            params: { path: { VolumeSpecUuid: spec.uuid } },
            body: specBody(values, spec),
          });
        } else {
          const body = specBody(values);
          await client.call('createVolumeSpec', {
            body: {
              ...body,
              name: String(values.name),
              storage_pool_uuid: String(values.storage_pool_uuid),
              min_iops: Number(values.min_iops),
              max_iops: Number(values.max_iops),
              step_iops: Number(values.step_iops),
              min_throughput: fromMib(values.min_throughput),
              max_throughput: fromMib(values.max_throughput),
              step_throughput: fromMib(values.step_throughput),
            },
          });
        }
        await queries.invalidateQueries({ queryKey: ['storage'] });
      }}
      onClose={onClose}
    />
  );
}

function AllSpecs({ manage }: { manage: boolean }) {
  const queries = useQueryClient();
  const list = useListState();
  const [dialog, setDialog] = useState<Dialog>();
  const { data, error } = useQuery({
    queryKey: ['storage', 'specs', list.query],
    queryFn: () => client.call('listVolumeSpec', { params: { query: list.query as never } }),
    placeholderData: keepPreviousData,
  });
  const columns: Column<VolumeSpec>[] = [
    { key: 'name', label: 'Name', sortable: true },
    { key: 'storage_pool_name', label: 'Storage pool' },
    { key: 'max_iops', label: 'IOPS', sortable: true, render: iopsRule },
    { key: 'max_throughput', label: 'Throughput', sortable: true, render: throughputRule },
    { key: 'cluster_count', label: 'Clusters', sortable: true },
    { key: 'description', label: 'Description' },
  ];
  return (
    <section aria-labelledby="specs-heading" className="subsection">
      <header className="page-header">
        <h2 id="specs-heading">All volume specs</h2>
        {manage && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New volume spec
          </button>
        )}
      </header>
      <ErrorNote error={error} />
      <DataTable
        caption="All volume specs"
        columns={columns}
        rows={data?.elements}
        rowKey={(s) => s.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          manage
            ? (spec) => (
                <>
                  <RowButton action="Edit" name={spec.name} onClick={() => setDialog({ kind: 'edit', spec })} />
                  <RowButton action="Delete" name={spec.name} onClick={() => setDialog({ kind: 'delete', spec })} />
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && <SpecDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'edit' && <SpecDialog spec={dialog.spec} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.spec.name}`}
          question={`Delete the volume spec ${dialog.spec.name}? A spec registered in a cluster, or used by volumes, is not deleted.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteVolumeSpec', { params: { path: { VolumeSpecUuid: dialog.spec.uuid } } });
            await queries.invalidateQueries({ queryKey: ['storage'] });
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}
