import { useQuery, useQueryClient } from '@tanstack/react-query';
import { client, type Owner } from '../api';
import { type FieldSpec, Fields, FormDialog, type FormValues } from '../ui';
import { formatBytes } from './host-view';
import { subnetOptions, useClusterSubnets, usePlaceFields, useSecurityGroupOptions, type Vm } from './compute-view';
import { GIB } from './storage-view';
import { useClusterSpecs } from './VolumeSpecs';

/**
 * createVm: where (AZ, cluster), what (an instance spec registered in the cluster), its root volume
 * (an available image, a volume spec registered in the cluster, a size), its primary NIC (a subnet of
 * the cluster, optionally a security group), a password. The answer comes at once (being created);
 * the list then follows its host's agent.
 */
export function CreateVmDialog({
  owner,
  azUuid,
  clusterUuid,
  onClose,
}: {
  owner: Owner;
  azUuid: string;
  clusterUuid: string;
  onClose: () => void;
}) {
  const queries = useQueryClient();
  return (
    <FormDialog
      title="New VM"
      fields={[]}
      initial={{
        name: '',
        description: '',
        az_uuid: azUuid,
        cluster_uuid: clusterUuid,
        instance_spec_uuid: '',
        image_uuid: '',
        volume_spec_uuid: '',
        size: '10',
        subnet_uuid: '',
        sg_uuid: '',
        password: '',
        host_uuid: '',
      }}
      submitLabel="Create"
      renderFields={(values, onChange) => <CreateVmFields owner={owner} values={values} onChange={onChange} />}
      onSubmit={async (values) => {
        const text = (name: string) => (values[name] ? String(values[name]) : undefined);
        await client.call('createVm', {
          body: {
            az_uuid: String(values.az_uuid),
            cluster_uuid: String(values.cluster_uuid),
            name: String(values.name),
            description: text('description'),
            instance_spec_uuid: String(values.instance_spec_uuid),
            host_uuid: text('host_uuid'),
            volumes: [
              {
                name: `${String(values.name)}-root`,
                root: 1,
                size: Number(values.size) * GIB,
                volume_spec_uuid: String(values.volume_spec_uuid),
                image_uuid: String(values.image_uuid),
              },
            ],
            nics: [{ name: 'eth0', primary: 1, subnet_uuid: String(values.subnet_uuid), sg_uuid: text('sg_uuid') }],
            password: text('password'),
          },
        });
        await queries.invalidateQueries({ queryKey: ['vm'] });
      }}
      onClose={onClose}
    />
  );
}

function CreateVmFields({ owner, values, onChange }: { owner: Owner; values: FormValues; onChange: (values: FormValues) => void }) {
  const azUuid = String(values.az_uuid);
  const clusterUuid = String(values.cluster_uuid);
  const place = usePlaceFields(azUuid, clusterUuid);
  const instanceSpecs = useQuery({
    queryKey: ['instance_spec', 'registered', clusterUuid],
    queryFn: () =>
      client.call('listClusterInstanceSpecRelation', {
        params: { path: { AzUuid: azUuid, ClusterUuid: clusterUuid }, query: { size: 1000, sort: 'name', order: 'asc' } },
      }),
    enabled: Boolean(azUuid && clusterUuid),
  });
  const volumeSpecs = useClusterSpecs(azUuid || undefined, clusterUuid || undefined);
  const images = useQuery({
    queryKey: ['image', 'available'],
    queryFn: () => client.call('listImage', { params: { query: { state: 1, size: 1000, sort: 'name', order: 'asc' } } }),
  });
  const subnets = useClusterSubnets(azUuid, clusterUuid);
  const groups = useSecurityGroupOptions();
  // Hosts are for administrators to read (users get 403); a user's VM goes where the scheduler puts it.
  const pickHost = owner.role >= 2;
  const hosts = useHostChoices(azUuid, clusterUuid, pickHost);
  const specList = instanceSpecs.data?.elements ?? [];
  const volumeSpecList = volumeSpecs.data?.elements ?? [];
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description' },
    ...place,
    {
      name: 'instance_spec_uuid',
      label: 'Instance spec',
      type: 'select',
      required: true,
      options: [
        { value: '', label: specList.length ? 'Pick an instance spec' : 'No instance spec is registered in this cluster' },
        ...specList.map((spec) => ({
          value: spec.instance_spec_uuid,
          label: `${spec.instance_spec_name} (${spec.vcpus} vCPUs, ${formatBytes(spec.memory)})`,
        })),
      ],
    },
    {
      name: 'image_uuid',
      label: 'Image',
      type: 'select',
      required: true,
      options: [
        { value: '', label: 'Pick an image' },
        ...(images.data?.elements ?? []).map((image) => ({
          value: image.uuid,
          label: `${image.name} (${image.format}, ${formatBytes(image.size)})`,
        })),
      ],
      hint: 'The root volume is made from it; only available images are offered.',
    },
    {
      name: 'volume_spec_uuid',
      label: 'Root volume spec',
      type: 'select',
      required: true,
      options: [
        { value: '', label: volumeSpecList.length ? 'Pick a volume spec' : 'No volume spec is registered in this cluster' },
        ...volumeSpecList.map((spec) => ({ value: spec.volume_spec_uuid, label: spec.volume_spec_name })),
      ],
    },
    { name: 'size', label: 'Root volume size (GiB)', type: 'number', min: 1, step: 1, required: true },
    {
      name: 'subnet_uuid',
      label: 'Subnet',
      type: 'select',
      required: true,
      options: subnetOptions(subnets.data, 'No subnet in this cluster'),
      hint: 'Its primary NIC gets a free address of it.',
    },
    { name: 'sg_uuid', label: 'Security group', type: 'select', options: groups },
    { name: 'password', label: 'Password', type: 'password', hint: "Given to its host's agent only, never shown again." },
  ];
  if (pickHost) {
    fields.push({
      name: 'host_uuid',
      label: 'Host',
      type: 'select',
      options: [{ value: '', label: 'Let the scheduler choose' }, ...hosts],
      hint: 'Still checked for room.',
    });
  }
  // Another AZ or cluster: what was picked in the old one is no choice there.
  const change = (next: FormValues) => {
    if (next.az_uuid !== values.az_uuid) next = { ...next, cluster_uuid: '' };
    if (next.cluster_uuid !== values.cluster_uuid) {
      next = { ...next, instance_spec_uuid: '', volume_spec_uuid: '', subnet_uuid: '', host_uuid: '' };
    }
    onChange(next);
  };
  const image = images.data?.elements.find((i) => i.uuid === values.image_uuid);
  return (
    <>
      <Fields fields={fields} values={values} onChange={change} />
      {image && Number(values.size) * GIB < image.size && (
        <p className="warning">
          The image holds {formatBytes(image.size)}: the root volume needs at least {Math.ceil(image.size / GIB)} GiB.
        </p>
      )}
    </>
  );
}

/** The enabled, reachable hosts of a cluster (administrators' pickers), as options; `except` left out. */
export function useHostChoices(azUuid: string, clusterUuid: string, enabled: boolean, except?: string) {
  const hosts = useQuery({
    queryKey: ['host', 'taking-work', clusterUuid],
    queryFn: () =>
      client.call('listHost', {
        params: {
          path: { AzUuid: azUuid, ClusterUuid: clusterUuid },
          query: { state: 1, monitor_state: 1, size: 1000, sort: 'name', order: 'asc' },
        },
      }),
    enabled: enabled && Boolean(azUuid && clusterUuid),
  });
  return (hosts.data?.elements ?? [])
    .filter((host) => host.uuid !== except)
    .map((host) => ({
      value: host.uuid,
      label: `${host.name} (${host.manage_ip}, ${host.total_vcpus - host.used_vcpus} vCPUs, ${formatBytes(host.total_memory - host.used_memory)} free)`,
    }));
}

/** updateVm: its name and description. */
export function RenameVmDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const queries = useQueryClient();
  const initial = { name: vm.name, description: vm.description };
  return (
    <FormDialog
      title={`Rename ${vm.name}`}
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description' },
      ]}
      initial={initial}
      submitLabel="Save"
      onSubmit={async (values) => {
        await client.call('updateVm', {
          params: { path: { VmUuid: vm.uuid } },
          body: {
            name: values.name !== initial.name ? String(values.name) : undefined,
            description: values.description !== initial.description ? String(values.description) : undefined,
          },
        });
        await queries.invalidateQueries({ queryKey: ['vm'] });
      }}
      onClose={onClose}
    />
  );
}

/** deleteVm, with `force_del` as a checkbox that says what it does. */
export function DeleteVmDialog({ vm, onDeleted, onClose }: { vm: Vm; onDeleted?: () => void; onClose: () => void }) {
  const queries = useQueryClient();
  return (
    <FormDialog
      title={`Delete ${vm.name}`}
      fields={[
        {
          name: 'force',
          label: 'Also delete its data volumes (force_del)',
          type: 'checkbox',
          hint: 'Without it, volumes other than the root are detached and kept.',
        },
      ]}
      initial={{ force: false }}
      submitLabel="Delete"
      warning={
        vm.state === 10
          ? `${vm.name} failed to be created: it goes at once.`
          : `Delete ${vm.name}? Its host's agent deletes it (it must be idle and its host reachable); its root volume and ` +
            'primary NICs go with it, its other NICs are detached.'
      }
      onSubmit={async (values) => {
        await client.call('deleteVm', {
          params: { path: { VmUuid: vm.uuid }, query: values.force ? { force_del: 'true' } : undefined },
        });
        if (vm.state === 10) onDeleted?.();
        await queries.invalidateQueries({ queryKey: ['vm'] });
      }}
      onClose={onClose}
    />
  );
}

/** migrateVm (administrators): to a host picked, or the scheduler's choice. */
export function MigrateVmDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const queries = useQueryClient();
  const hosts = useHostChoices(vm.az_uuid, vm.cluster_uuid, true, vm.host_uuid);
  return (
    <FormDialog
      title={`Migrate ${vm.name}`}
      fields={[
        {
          name: 'target_host_uuid',
          label: 'Target host',
          type: 'select',
          options: [{ value: '', label: 'Let the scheduler choose' }, ...hosts],
          hint: 'Other enabled, reachable hosts of its cluster; the target is still checked for room.',
        },
        {
          name: 'migrate_local_disks',
          label: 'Move volumes on local storage with it (migrate_local_disks)',
          type: 'checkbox',
          hint: 'A VM with local volumes is refused without it.',
        },
      ]}
      initial={{ target_host_uuid: '', migrate_local_disks: false }}
      submitLabel="Migrate"
      warning={`${vm.name} runs on ${vm.host_name || 'a host that is gone'}; a running VM moves live.`}
      onSubmit={async (values) => {
        await client.call('migrateVm', {
          params: { path: { VmUuid: vm.uuid } },
          body: {
            target_host_uuid: values.target_host_uuid ? String(values.target_host_uuid) : undefined,
            migrate_local_disks: values.migrate_local_disks === true ? true : undefined,
          },
        });
        await queries.invalidateQueries({ queryKey: ['vm'] });
      }}
      onClose={onClose}
    />
  );
}
