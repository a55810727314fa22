import { useQuery, useQueryClient } from '@tanstack/react-query';
import { client, type Owner } from '../api';
import { navigate } from '../router';
import { type FieldSpec, Fields, FormDialog, type FormValues } from '../ui';
import { formatBytes } from './host-view';
import { clusterHref, formatRate, GIB, perGib, type Volume } from './storage-view';
import { useClusterSpecs } from './VolumeSpecs';

/**
 * createVolume: a name, a size in whole GiB, a volume spec registered in the cluster, optionally an
 * available image to make it from and, for administrators, the host to put it on (else the server
 * chooses). The answer comes at once (being created); the list then follows the host's agent.
 */
export function CreateVolumeDialog({
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
      title="New volume"
      fields={[]}
      initial={{ name: '', description: '', size: '10', volume_spec_uuid: '', image_uuid: '', host_uuid: '' }}
      submitLabel="Create"
      renderFields={(values, onChange) => (
        <CreateVolumeFields owner={owner} azUuid={azUuid} clusterUuid={clusterUuid} values={values} onChange={onChange} />
      )}
      onSubmit={async (values) => {
        const { volume } = await client.call('createVolume', {
          params: { path: { AzUuid: azUuid, ClusterUuid: clusterUuid } },
          body: {
            name: String(values.name),
            description: values.description ? String(values.description) : undefined,
            size: Number(values.size) * GIB,
            volume_spec_uuid: String(values.volume_spec_uuid),
            image_uuid: values.image_uuid ? String(values.image_uuid) : undefined,
            host_uuid: values.host_uuid ? String(values.host_uuid) : undefined,
          },
        });
        await queries.invalidateQueries({ queryKey: ['volume'] });
        navigate(clusterHref('volume', azUuid, clusterUuid));
        return volume;
      }}
      onClose={onClose}
    />
  );
}

function CreateVolumeFields({
  owner,
  azUuid,
  clusterUuid,
  values,
  onChange,
}: {
  owner: Owner;
  azUuid: string;
  clusterUuid: string;
  values: FormValues;
  onChange: (values: FormValues) => void;
}) {
  const specs = useClusterSpecs(azUuid, clusterUuid);
  const images = useQuery({
    queryKey: ['image', 'available'],
    queryFn: () => client.call('listImage', { params: { query: { state: 1, size: 1000, sort: 'name', order: 'asc' } } }),
  });
  // Hosts are for administrators to read (users get 403); a user's volume goes where the server puts it.
  const pickHost = owner.role >= 2;
  const hosts = useQuery({
    queryKey: ['host', 'taking-work', clusterUuid],
    queryFn: () =>
      client.call('listHost', {
        params: {
          path: { AzUuid: azUuid, ClusterUuid: clusterUuid },
          query: { state: 1, monitor_state: 1, size: 1000, sort: 'name', order: 'asc' },
        },
      }),
    enabled: pickHost,
  });
  const specList = specs.data?.elements ?? [];
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description' },
    { name: 'size', label: 'Size (GiB)', type: 'number', min: 1, step: 1, required: true },
    {
      name: 'volume_spec_uuid',
      label: 'Volume spec',
      type: 'select',
      required: true,
      options: [
        { value: '', label: specList.length ? 'Pick a volume spec' : 'No volume spec is registered in this cluster' },
        ...specList.map((spec) => ({ value: spec.volume_spec_uuid, label: spec.volume_spec_name })),
      ],
    },
    {
      name: 'image_uuid',
      label: 'Image',
      type: 'select',
      options: [
        { value: '', label: 'None (an empty volume)' },
        ...(images.data?.elements ?? []).map((image) => ({
          value: image.uuid,
          label: `${image.name} (${image.format}, ${formatBytes(image.size)})`,
        })),
      ],
      hint: 'Only available images are offered.',
    },
  ];
  if (pickHost) {
    fields.push({
      name: 'host_uuid',
      label: 'Host',
      type: 'select',
      options: [
        { value: '', label: 'Let the server choose' },
        ...(hosts.data?.elements ?? []).map((host) => ({ value: host.uuid, label: `${host.name} (${host.manage_ip})` })),
      ],
      hint: 'Enabled, reachable hosts of the cluster; the server otherwise picks the one whose volumes claim least of the pool.',
    });
  }
  const size = Number(values.size) * GIB;
  const spec = specList.find((s) => s.volume_spec_uuid === values.volume_spec_uuid);
  const image = images.data?.elements.find((i) => i.uuid === values.image_uuid);
  return (
    <>
      <Fields fields={fields} values={values} onChange={onChange} />
      {spec && size > 0 && (
        <p className="notice" aria-live="polite">
          It will get {perGib(spec.step_iops, spec.min_iops, spec.max_iops, size)} IOPS and{' '}
          {formatRate(perGib(spec.step_throughput, spec.min_throughput, spec.max_throughput, size))}.
        </p>
      )}
      {image && size < image.size && (
        <p className="warning">
          The image holds {formatBytes(image.size)}: the volume needs at least {Math.ceil(image.size / GIB)} GiB.
        </p>
      )}
    </>
  );
}

/** updateVolume: its name and description (ChimeStack does not resize volumes). */
export function RenameVolumeDialog({ volume, onClose }: { volume: Volume; onClose: () => void }) {
  const queries = useQueryClient();
  const initial = { name: volume.name, description: volume.description };
  return (
    <FormDialog
      title={`Rename ${volume.name}`}
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description' },
      ]}
      initial={initial}
      submitLabel="Save"
      onSubmit={async (values) => {
        await client.call('updateVolume', {
          params: { path: { AzUuid: volume.az_uuid, ClusterUuid: volume.cluster_uuid, VolumeUuid: volume.uuid } },
          body: {
            name: values.name !== initial.name ? String(values.name) : undefined,
            description: values.description !== initial.description ? String(values.description) : undefined,
          },
        });
        await queries.invalidateQueries({ queryKey: ['volume'] });
      }}
      onClose={onClose}
    />
  );
}

/** deleteVolume, with `force_del` as a checkbox that says what it does. */
export function DeleteVolumeDialog({
  volume,
  onDeleted,
  onClose,
}: {
  volume: Volume;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const queries = useQueryClient();
  return (
    <FormDialog
      title={`Delete ${volume.name}`}
      fields={[
        {
          name: 'force',
          label: 'Force (force_del)',
          type: 'checkbox',
          hint:
            'Deletes it and its snapshots at once, even while something runs on it or its host is unreachable; ' +
            "its space returns to the pool at once, and its host's agent is still told to delete it.",
        },
      ]}
      initial={{ force: false }}
      submitLabel="Delete"
      warning={
        volume.state === 10
          ? `${volume.name} failed to be created: it goes at once.`
          : `Delete ${volume.name}? Without force its host's agent deletes it first: it must be idle, have no snapshots ` +
            `(it has ${volume.snapshot_count}) and its host be reachable.`
      }
      onSubmit={async (values) => {
        await client.call('deleteVolume', {
          params: {
            path: { AzUuid: volume.az_uuid, ClusterUuid: volume.cluster_uuid, VolumeUuid: volume.uuid },
            query: values.force ? { force_del: 'true' } : undefined,
          },
        });
        // A forced delete (or a failed volume's) is done; otherwise the volume shows Deleting until its agent is.
        if (values.force || volume.state === 10) onDeleted();
        await queries.invalidateQueries({ queryKey: ['volume'] });
      }}
      onClose={onClose}
    />
  );
}
