import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { canManageInfrastructure, client, formatTime, type Owner } from '../api';
import { Link } from '../router';
import { type Column, DataTable, ErrorNote, FilterBar, ListPager, RowButton, SummaryCard, SummaryCards, useListState } from '../ui';
import { canChangeCompute, ComputeState, type Vm, VM_STATES, vmBusy, vmHref } from './compute-view';
import { formatBytes } from './host-view';
import { LastOperation, stateOptions, useClusterPicker, useRefetchWhileBusy, useRefreshWhenSettled } from './storage-view';
import { CreateVmDialog, DeleteVmDialog, MigrateVmDialog } from './VmForms';

type Dialog = { kind: 'delete' | 'migrate'; vm: Vm };

/**
 * The VMs of the cluster picked (a user's own; administrators see all), their state as it changes
 * (the event stream, or quick polling while something is under way), and a form to create one.
 */
export default function VmsPage({ owner }: { owner: Owner }) {
  const { azUuid, clusterUuid, pickers, error } = useClusterPicker(owner, 'vm');
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <header className="page-header">
        <h1>VMs</h1>
        {canChangeCompute(owner) && (
          <button type="button" onClick={() => setCreating(true)}>
            New VM
          </button>
        )}
      </header>
      {pickers}
      <ErrorNote error={error} />
      <VmSummary owner={owner} />
      {azUuid && clusterUuid && <VmList key={clusterUuid} owner={owner} azUuid={azUuid} clusterUuid={clusterUuid} />}
      {creating && (
        <CreateVmDialog owner={owner} azUuid={azUuid ?? ''} clusterUuid={clusterUuid ?? ''} onClose={() => setCreating(false)} />
      )}
    </section>
  );
}

/** getVmStatistic: over every cluster, a user's own VMs. */
function VmSummary({ owner }: { owner: Owner }) {
  const { data, error } = useQuery({
    queryKey: ['vm', 'statistic'],
    queryFn: () => client.call('getVmStatistic'),
  });
  const s = data?.vm_statistic;
  return (
    <SummaryCards label="VM summary" error={error}>
      {s && (
        <>
          <SummaryCard title={`${owner.role === 0 ? 'Your VMs' : 'VMs'} (all clusters)`} figure={s.total}>
            {s.running} running, {s.stopped} stopped, {s.unavailable} being created, {s.failed} failed
          </SummaryCard>
          <SummaryCard title="Claimed" figure={`${s.vcpus} vCPUs`}>
            {formatBytes(s.memory)} of memory
          </SummaryCard>
        </>
      )}
    </SummaryCards>
  );
}

function VmList({ owner, azUuid, clusterUuid }: { owner: Owner; azUuid: string; clusterUuid: string }) {
  const queries = useQueryClient();
  const list = useListState({ name: '', state: '' });
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<unknown>();
  const refetchInterval = useRefetchWhileBusy((page: { elements: Vm[] }) => page.elements.some(vmBusy));
  const { data, error } = useQuery({
    queryKey: ['vm', 'list', clusterUuid, list.query],
    queryFn: () =>
      client.call('listVm', { params: { query: { ...(list.query as object), az_uuid: azUuid, cluster_uuid: clusterUuid } as never } }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  useRefreshWhenSettled(data?.elements.some(vmBusy) ?? false, ['vm']);
  const power = async (vm: Vm, operation: 'startVm' | 'stopVm') => {
    setActionError(undefined);
    try {
      await client.call(operation, { params: { path: { VmUuid: vm.uuid } } });
      await queries.invalidateQueries({ queryKey: ['vm'] });
    } catch (failure) {
      setActionError(failure);
    }
  };
  const columns: Column<Vm>[] = [
    {
      key: 'name',
      label: 'Name',
      sortable: true,
      render: (vm) => (
        <Link className="nowrap" to={vmHref(vm.uuid)}>
          {vm.name}
        </Link>
      ),
    },
    { key: 'state', label: 'State', sortable: true, render: (vm) => <ComputeState states={VM_STATES} state={vm.state} operation={vm.operation} /> },
    { key: 'host_name', label: 'Host', render: (vm) => vm.host_name || 'gone' },
    { key: 'vcpus', label: 'vCPUs', sortable: true },
    { key: 'memory', label: 'Memory', sortable: true, render: (vm) => formatBytes(vm.memory) },
    { key: 'image_name', label: 'Image' },
    { key: 'last_operation', label: 'Last operation', render: (vm) => <LastOperation of={vm} /> },
    { key: 'created_at', label: 'Created', sortable: true, render: (vm) => formatTime(vm.created_at) },
  ];
  const change = canChangeCompute(owner);
  return (
    <>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter VMs by name' },
          { name: 'state', label: 'Filter VMs by state', type: 'select', options: stateOptions(VM_STATES) },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error ?? actionError} />
      <DataTable
        caption="VMs"
        columns={columns}
        rows={data?.elements}
        rowKey={(vm) => vm.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          change
            ? (vm) => (
                <>
                  {vm.state === 4 && <RowButton action="Start" name={vm.name} onClick={() => void power(vm, 'startVm')} />}
                  {vm.state === 1 && <RowButton action="Stop" name={vm.name} onClick={() => void power(vm, 'stopVm')} />}
                  {canManageInfrastructure(owner) && (vm.state === 1 || vm.state === 4) && (
                    <RowButton action="Migrate" name={vm.name} onClick={() => setDialog({ kind: 'migrate', vm })} />
                  )}
                  <RowButton action="Delete" name={vm.name} onClick={() => setDialog({ kind: 'delete', vm })} />
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'delete' && <DeleteVmDialog vm={dialog.vm} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'migrate' && <MigrateVmDialog vm={dialog.vm} onClose={() => setDialog(undefined)} />}
    </>
  );
}
