import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import { Link } from '../router';
import {
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorNote,
  type FieldSpec,
  Fields,
  FilterBar,
  FormDialog,
  type FormValues,
  ListPager,
  RowButton,
  SummaryCard,
  SummaryCards,
  useListState,
} from '../ui';
import { useOwnDefault } from './ClustersPage';
import {
  canChangeCompute,
  ComputeState,
  type Nic,
  NIC_STATES,
  nicBusy,
  subnetOptions,
  useClusterSubnets,
  usePlaceFields,
  useSecurityGroupOptions,
  vmHref,
} from './compute-view';
import { stateOptions, useRefetchWhileBusy } from './storage-view';

type Dialog = { kind: 'create' } | { kind: 'rename' | 'delete'; nic: Nic };

/** What listNic shows of the VM a NIC is attached to (the compute module fills it; the schema says only "object"). */
const attachedVm = (nic: Nic) => nic.attached_vms[0] as { uuid?: string; name?: string } | undefined;

/**
 * Network interfaces: a user's own (administrators and read-only administrators see everyone's), with
 * their address, MAC and the VM they are attached to; create (an address in a subnet), rename, delete.
 */
export default function NicsPage({ owner }: { owner: Owner }) {
  const [dialog, setDialog] = useState<Dialog>();
  const list = useListState({ name: '', state: '' });
  const refetchInterval = useRefetchWhileBusy((page: { elements: Nic[] }) => page.elements.some(nicBusy));
  const { data, error } = useQuery({
    queryKey: ['nic', 'list', list.query],
    queryFn: () => client.call('listNic', { params: { query: list.query as never } }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  const statistic = useQuery({ queryKey: ['nic', 'statistic'], queryFn: () => client.call('getNicStatistic') });
  const s = statistic.data?.nic_statistic;
  const change = canChangeCompute(owner);
  const columns: Column<Nic>[] = [
    { key: 'name', label: 'Name', sortable: true },
    { key: 'state', label: 'State', sortable: true, render: (n) => <ComputeState states={NIC_STATES} state={n.state} operation={n.operation} /> },
    { key: 'ip', label: 'Address', render: (n) => `${n.ip} (${n.subnet_cidr})` },
    { key: 'mac', label: 'MAC' },
    { key: 'subnet_name', label: 'Subnet' },
    {
      key: 'vm',
      label: 'Attached to',
      render: (n) => {
        const vm = attachedVm(n);
        return vm?.uuid ? <Link to={vmHref(vm.uuid)}>{vm.name ?? vm.uuid}</Link> : '';
      },
    },
    { key: 'primary', label: 'Primary', render: (n) => (n.primary ? 'yes' : 'no') },
    ...(owner.role > 0 ? [{ key: 'user_uuid', label: 'Owner' } as Column<Nic>] : []),
    { key: 'created_at', label: 'Created', sortable: true, render: (n) => formatTime(n.created_at) },
  ];
  return (
    <section>
      <header className="page-header">
        <h1>NICs</h1>
        {change && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New NIC
          </button>
        )}
      </header>
      <SummaryCards label="NIC summary" error={statistic.error}>
        {s && (
          <SummaryCard title={owner.role === 0 ? 'Your NICs' : 'NICs'} figure={s.nics}>
            {s.available} free, {s.in_use} attached, {s.busy} busy
          </SummaryCard>
        )}
      </SummaryCards>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter NICs by name' },
          { name: 'state', label: 'Filter NICs by state', type: 'select', options: stateOptions(NIC_STATES) },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="NICs"
        columns={columns}
        rows={data?.elements}
        rowKey={(n) => n.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          change
            ? (nic) => (
                <>
                  <RowButton action="Rename" name={nic.name} onClick={() => setDialog({ kind: 'rename', nic })} />
                  <RowButton action="Delete" name={nic.name} onClick={() => setDialog({ kind: 'delete', nic })} />
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && <CreateNicDialog owner={owner} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'rename' && <RenameNicDialog nic={dialog.nic} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'delete' && <DeleteNicDialog nic={dialog.nic} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

/** createNic: a subnet (picked through its AZ and cluster, starting at the user's defaults), optionally an address and a security group. */
function CreateNicDialog({ owner, onClose }: { owner: Owner; onClose: () => void }) {
  const queries = useQueryClient();
  const ownDefault = useOwnDefault(owner).data?.default;
  return (
    <FormDialog
      title="New NIC"
      fields={[]}
      initial={{
        name: '',
        description: '',
        az_uuid: ownDefault?.az_uuid ?? '',
        cluster_uuid: ownDefault?.clusters_uuid ?? '',
        subnet_uuid: '',
        ip: '',
        sg_uuid: '',
      }}
      submitLabel="Create"
      renderFields={(values, onChange) => <CreateNicFields values={values} onChange={onChange} />}
      onSubmit={async (values) => {
        await client.call('createNic', {
          body: {
            name: String(values.name),
            description: values.description ? String(values.description) : undefined,
            subnet_uuid: String(values.subnet_uuid),
            ip: values.ip ? String(values.ip) : undefined,
            sg_uuid: values.sg_uuid ? String(values.sg_uuid) : undefined,
          },
        });
        await queries.invalidateQueries({ queryKey: ['nic'] });
      }}
      onClose={onClose}
    />
  );
}

function CreateNicFields({ values, onChange }: { values: FormValues; onChange: (values: FormValues) => void }) {
  const azUuid = String(values.az_uuid);
  const clusterUuid = String(values.cluster_uuid);
  const place = usePlaceFields(azUuid, clusterUuid);
  const subnets = useClusterSubnets(azUuid, clusterUuid);
  const groups = useSecurityGroupOptions();
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description' },
    ...place,
    { name: 'subnet_uuid', label: 'Subnet', type: 'select', required: true, options: subnetOptions(subnets.data, 'No subnet in this cluster') },
    { name: 'ip', label: 'Address', hint: 'Left empty, the server gives the next free address of the subnet.' },
    { name: 'sg_uuid', label: 'Security group', type: 'select', options: groups },
  ];
  const change = (next: FormValues) => {
    if (next.az_uuid !== values.az_uuid) next = { ...next, cluster_uuid: '' };
    if (next.cluster_uuid !== values.cluster_uuid) next = { ...next, subnet_uuid: '' };
    onChange(next);
  };
  return <Fields fields={fields} values={values} onChange={change} />;
}

function RenameNicDialog({ nic, onClose }: { nic: Nic; onClose: () => void }) {
  const queries = useQueryClient();
  const initial = { name: nic.name, description: nic.description };
  return (
    <FormDialog
      title={`Rename ${nic.name}`}
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description' },
      ]}
      initial={initial}
      submitLabel="Save"
      onSubmit={async (values) => {
        await client.call('updateNic', {
          params: { path: { NicUuid: nic.uuid } },
          body: {
            name: values.name !== initial.name ? String(values.name) : undefined,
            description: values.description !== initial.description ? String(values.description) : undefined,
          },
        });
        await queries.invalidateQueries({ queryKey: ['nic'] });
      }}
      onClose={onClose}
    />
  );
}

function DeleteNicDialog({ nic, onClose }: { nic: Nic; onClose: () => void }) {
  const queries = useQueryClient();
  return (
    <ConfirmDialog
      title={`Delete ${nic.name}`}
      question={`Delete the NIC ${nic.name}? Its address ${nic.ip} goes back to the subnet. A NIC attached to a VM is refused: detach it first.`}
      confirmLabel="Delete"
      onConfirm={async () => {
        await client.call('deleteNic', { params: { path: { NicUuid: nic.uuid } } });
        await queries.invalidateQueries({ queryKey: ['nic'] });
      }}
      onClose={onClose}
    />
  );
}
