import { type ResultOf } from '@chime/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { canManageInfrastructure, client, formatTime, isApiError, type Owner } from '../api';
import { Link, navigate } from '../router';
import { type Column, ConfirmDialog, DataTable, DetailsList, ErrorNote, FormDialog } from '../ui';
import {
  canChangeCompute,
  ComputeState,
  type Nic,
  NIC_STATES,
  nicBusy,
  type Vm,
  VM_STATES,
  vmBusy,
} from './compute-view';
import { formatBytes } from './host-view';
import {
  clusterHref,
  LastOperation,
  ResourceState,
  TASK_COLUMNS,
  useRefetchWhileBusy,
  useRefreshWhenSettled,
  type Volume,
} from './storage-view';
import { DeleteVmDialog, MigrateVmDialog, RenameVmDialog } from './VmForms';

type Dialog =
  | { kind: 'rename' | 'delete' | 'migrate' | 'attach-volume' | 'attach-nic' }
  | { kind: 'detach-volume'; volume: Volume }
  | { kind: 'detach-nic'; nic: Nic };

const busy = (vm: Vm) => vmBusy(vm) || vm.nics.some(nicBusy) || vm.volumes.some((v) => v.operation !== '' || v.state === 0);

/** One VM (`/vm/{uuid}`): what it is, its NICs, volumes and 20 latest tasks, its console, and what may be done to it. */
export default function VmPage({ uuid, owner }: { uuid: string; owner: Owner }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<unknown>();
  const refetchInterval = useRefetchWhileBusy((data: { vm: Vm }) => busy(data.vm));
  const { data, error } = useQuery({
    queryKey: ['vm', 'one', uuid],
    queryFn: () => client.call('describeVm', { params: { path: { VmUuid: uuid } } }),
    refetchInterval,
    placeholderData: undefined,
  });
  useRefreshWhenSettled(data ? busy(data.vm) : false, ['vm']);
  const back = (
    <p>
      <Link to={data ? clusterHref('vm', data.vm.az_uuid, data.vm.cluster_uuid) : '/vm'}>← VMs</Link>
    </p>
  );
  if (isApiError(error, 404)) {
    return (
      <section>
        {back}
        <h1>VM deleted</h1>
        <p>This VM does not exist (any more).</p>
      </section>
    );
  }
  const vm = data?.vm;
  const change = canChangeCompute(owner);
  const refresh = () => queries.invalidateQueries({ queryKey: ['vm'] });
  const act = async (operation: 'startVm' | 'stopVm') => {
    setActionError(undefined);
    try {
      await client.call(operation, { params: { path: { VmUuid: uuid } } });
      await refresh();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const nicColumns: Column<Nic>[] = [
    { key: 'name', label: 'Name' },
    { key: 'state', label: 'State', render: (n) => <ComputeState states={NIC_STATES} state={n.state} operation={n.operation} /> },
    { key: 'ip', label: 'Address', render: (n) => `${n.ip} (${n.subnet_cidr})` },
    { key: 'mac', label: 'MAC' },
    { key: 'subnet_name', label: 'Subnet' },
    { key: 'primary', label: 'Primary', render: (n) => (n.primary ? 'yes' : 'no') },
  ];
  const volumeColumns: Column<Volume>[] = [
    {
      key: 'name',
      label: 'Name',
      render: (v) => <Link to={clusterHref('volume', v.az_uuid, v.cluster_uuid, v.uuid)}>{v.name}</Link>,
    },
    { key: 'state', label: 'State', render: (v) => <ResourceState kind="volume" state={v.state} operation={v.operation} /> },
    { key: 'root', label: 'Root', render: (v) => (v.root ? 'yes' : 'no') },
    { key: 'size', label: 'Size', render: (v) => formatBytes(v.size) },
    { key: 'spec_name', label: 'Volume spec' },
    { key: 'image_name', label: 'Image' },
  ];
  return (
    <section>
      {back}
      <header className="page-header">
        <h1>VM {vm?.name ?? ''}</h1>
        {vm && change && (
          <div className="actions">
            {vm.state === 4 && (
              <button type="button" onClick={() => void act('startVm')}>
                Start
              </button>
            )}
            {vm.state === 1 && (
              <button type="button" onClick={() => void act('stopVm')}>
                Stop
              </button>
            )}
            <button type="button" onClick={() => setDialog({ kind: 'rename' })}>
              Rename
            </button>
            {canManageInfrastructure(owner) && (vm.state === 1 || vm.state === 4) && (
              <button type="button" onClick={() => setDialog({ kind: 'migrate' })}>
                Migrate
              </button>
            )}
            <button type="button" onClick={() => setDialog({ kind: 'delete' })}>
              Delete
            </button>
          </div>
        )}
      </header>
      <ErrorNote error={error ?? actionError} />
      {vm && <VmDetails vm={vm} />}
      {vm?.state === 1 && <ConsoleTicket vm={vm} />}
      <header className="page-header subsection">
        <h2>NICs</h2>
        {vm && change && (
          <button type="button" onClick={() => setDialog({ kind: 'attach-nic' })}>
            Attach NIC
          </button>
        )}
      </header>
      <DataTable
        caption="NICs"
        columns={nicColumns}
        rows={vm?.nics}
        rowKey={(n) => n.uuid}
        actions={
          change
            ? (nic) =>
                nic.primary ? null : (
                  <button type="button" onClick={() => setDialog({ kind: 'detach-nic', nic })} aria-label={`Detach ${nic.name}`}>
                    Detach
                  </button>
                )
            : undefined
        }
      />
      <header className="page-header subsection">
        <h2>Volumes</h2>
        {vm && change && (
          <button type="button" onClick={() => setDialog({ kind: 'attach-volume' })}>
            Attach volume
          </button>
        )}
      </header>
      <DataTable
        caption="Volumes"
        columns={volumeColumns}
        rows={vm?.volumes}
        rowKey={(v) => v.uuid}
        actions={
          change
            ? (volume) =>
                volume.root ? null : (
                  <button
                    type="button"
                    onClick={() => setDialog({ kind: 'detach-volume', volume })}
                    aria-label={`Detach ${volume.name}`}
                  >
                    Detach
                  </button>
                )
            : undefined
        }
      />
      <h2 className="subsection">Recent tasks</h2>
      <DataTable caption="Recent tasks" columns={TASK_COLUMNS} rows={vm?.tasks} rowKey={(task) => task.uuid} />
      {vm && dialog?.kind === 'rename' && <RenameVmDialog vm={vm} onClose={() => setDialog(undefined)} />}
      {vm && dialog?.kind === 'migrate' && <MigrateVmDialog vm={vm} onClose={() => setDialog(undefined)} />}
      {vm && dialog?.kind === 'delete' && (
        <DeleteVmDialog
          vm={vm}
          onDeleted={() => navigate(clusterHref('vm', vm.az_uuid, vm.cluster_uuid))}
          onClose={() => setDialog(undefined)}
        />
      )}
      {vm && dialog?.kind === 'attach-volume' && <AttachVolumeDialog vm={vm} onClose={() => setDialog(undefined)} />}
      {vm && dialog?.kind === 'attach-nic' && <AttachNicDialog vm={vm} onClose={() => setDialog(undefined)} />}
      {vm && dialog?.kind === 'detach-volume' && (
        <ConfirmDialog
          title={`Detach ${dialog.volume.name}`}
          question={`Detach the volume ${dialog.volume.name} from ${vm.name}? It is available again once its host's agent has detached it.`}
          confirmLabel="Detach"
          onConfirm={async () => {
            await client.call('detachVolumeFromVm', {
              params: { path: { VmUuid: vm.uuid } },
              body: { volume_uuid: dialog.volume.uuid },
            });
            await queries.invalidateQueries({ queryKey: ['vm'] });
            await queries.invalidateQueries({ queryKey: ['volume'] });
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {vm && dialog?.kind === 'detach-nic' && (
        <ConfirmDialog
          title={`Detach ${dialog.nic.name}`}
          question={`Detach the NIC ${dialog.nic.name} (${dialog.nic.ip}) from ${vm.name}? It is free again once its host's agent has unplugged it.`}
          confirmLabel="Detach"
          onConfirm={async () => {
            await client.call('detachNicFromVm', { params: { path: { VmUuid: vm.uuid } }, body: { nic_uuid: dialog.nic.uuid } });
            await queries.invalidateQueries({ queryKey: ['vm'] });
            await queries.invalidateQueries({ queryKey: ['nic'] });
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}

function VmDetails({ vm }: { vm: Vm }) {
  const rows: [string, ReactNode][] = [
    ['UUID', <code key="uuid">{vm.uuid}</code>],
    ['State', <ComputeState key="state" states={VM_STATES} state={vm.state} operation={vm.operation} />],
    ...(vm.operation ? ([['Running', <code key="operation">{vm.operation}</code>]] as [string, ReactNode][]) : []),
    ['Host', vm.host_name ? `${vm.host_name} (${vm.host_ip})` : 'gone'],
    ['vCPUs', String(vm.vcpus)],
    ['Memory', formatBytes(vm.memory)],
    ['Image', vm.image_name || 'none'],
    ['OS', [vm.os_type, vm.os_arch, vm.os_detail].filter(Boolean).join(' ') || 'not reported yet'],
    ['Last operation', <LastOperation key="last" of={vm} />],
    ['Description', vm.description],
    ['Created', formatTime(vm.created_at)],
  ];
  return <DetailsList rows={rows} />;
}

/** getVmVnc: a one-time ticket for the running VM's console, with where to use it and until when. */
function ConsoleTicket({ vm }: { vm: Vm }) {
  const [ticket, setTicket] = useState<ResultOf<'getVmVnc'>['vnc']>();
  const [error, setError] = useState<unknown>();
  const issue = async () => {
    setError(undefined);
    try {
      setTicket((await client.call('getVmVnc', { params: { path: { VmUuid: vm.uuid } } })).vnc);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section aria-label="Console" className="subsection">
      <h2>Console</h2>
      <button type="button" onClick={() => void issue()}>
        Get a console ticket
      </button>
      <ErrorNote error={error} />
      {ticket && (
        <DetailsList
          rows={[
            ['VNC address', <code key="address">{`${ticket.host}:${ticket.port}`}</code>],
            ['Ticket', <code key="ticket">{ticket.ticket}</code>],
            ['Expires', `${formatTime(ticket.expires_at)} (good for one connection)`],
          ]}
        />
      )}
    </section>
  );
}

/** attach_disk: the caller's available volumes of the VM's cluster. */
function AttachVolumeDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const queries = useQueryClient();
  const volumes = useQuery({
    queryKey: ['volume', 'available-in', vm.cluster_uuid],
    queryFn: () =>
      client.call('listVolume', {
        params: {
          path: { AzUuid: vm.az_uuid, ClusterUuid: vm.cluster_uuid },
          query: { state: 1, size: 1000, sort: 'name', order: 'asc' },
        },
      }),
  });
  const choices = volumes.data?.elements ?? [];
  return (
    <FormDialog
      title={`Attach a volume to ${vm.name}`}
      fields={[
        {
          name: 'volume_uuid',
          label: 'Volume',
          type: 'select',
          required: true,
          options: [
            { value: '', label: choices.length ? 'Pick a volume' : 'No available volume in this cluster' },
            ...choices.map((v) => ({ value: v.uuid, label: `${v.name} (${formatBytes(v.size)}, ${v.spec_name})` })),
          ],
          hint: "Available volumes of the VM's cluster (on its host, for local storage).",
        },
      ]}
      initial={{ volume_uuid: '' }}
      submitLabel="Attach"
      onSubmit={async (values) => {
        await client.call('attachVolumeToVm', {
          params: { path: { VmUuid: vm.uuid } },
          body: { volume_uuid: String(values.volume_uuid) },
        });
        await queries.invalidateQueries({ queryKey: ['vm'] });
        await queries.invalidateQueries({ queryKey: ['volume'] });
      }}
      onClose={onClose}
    />
  );
}

/** attach_nic: the caller's free NICs (the server checks that the subnet is of the VM's cluster). */
function AttachNicDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const queries = useQueryClient();
  const nics = useQuery({
    queryKey: ['nic', 'available'],
    queryFn: () => client.call('listNic', { params: { query: { state: 1, size: 1000, sort: 'name', order: 'asc' } } }),
  });
  const choices = nics.data?.elements ?? [];
  return (
    <FormDialog
      title={`Attach a NIC to ${vm.name}`}
      fields={[
        {
          name: 'nic_uuid',
          label: 'NIC',
          type: 'select',
          required: true,
          options: [
            { value: '', label: choices.length ? 'Pick a NIC' : 'No free NIC: create one on the NICs screen' },
            ...choices.map((n) => ({ value: n.uuid, label: `${n.name} (${n.ip}, ${n.subnet_name})` })),
          ],
          hint: "Free NICs; the subnet must be of the VM's cluster.",
        },
      ]}
      initial={{ nic_uuid: '' }}
      submitLabel="Attach"
      onSubmit={async (values) => {
        await client.call('attachNicToVm', { params: { path: { VmUuid: vm.uuid } }, body: { nic_uuid: String(values.nic_uuid) } });
        await queries.invalidateQueries({ queryKey: ['vm'] });
        await queries.invalidateQueries({ queryKey: ['nic'] });
      }}
      onClose={onClose}
    />
  );
}

