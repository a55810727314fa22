import { type Schema } from '@chime/client';
import { useQuery } from '@tanstack/react-query';
import { client, type Owner } from '../api';
import { type FieldSpec } from '../ui';
import { useAllClusters, useAllZones } from './ClustersPage';
import { StateBadge, type Tone } from './host-view';

/** How the VMs and NICs screens show their resources: states as badges, the pickers their forms share. */

export type Vm = Schema<'Vm'>;
export type Nic = Schema<'Nic'>;
export type Subnet = Schema<'Subnet'>;

/** A user changes its own VMs and NICs; read-only administrators only read (the server refuses them 403). */
export const canChangeCompute = (owner: Owner) => owner.role !== 1;

export const VM_STATES: Record<number, [string, Tone]> = {
  0: ['creating', 'neutral'],
  1: ['running', 'ok'],
  4: ['stopped', 'neutral'],
  10: ['failed', 'bad'],
};
export const NIC_STATES: Record<number, [string, Tone]> = {
  0: ['busy', 'neutral'],
  1: ['available', 'ok'],
  2: ['in use', 'ok'],
};

/** A VM or NIC whose row changes soon: something runs on it, or it is still being created. */
export const vmBusy = (vm: Pick<Vm, 'operation' | 'state'>) => vm.operation !== '' || vm.state === 0;
export const nicBusy = (nic: Pick<Nic, 'operation' | 'state'>) => nic.operation !== '' || nic.state === 0;

/** A state as a badge and, beside it, what runs on it (`AttachingNic#<request id>` → "attaching nic…"). */
export function ComputeState({ states, state, operation }: { states: Record<number, [string, Tone]>; state: number; operation?: string }) {
  const [label, tone] = states[state] ?? [`state ${state}`, 'neutral'];
  const running = operation ? operation.split('#')[0] : '';
  return (
    <>
      <StateBadge label={label} tone={tone} />
      {running && <span className="operation"> {running.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}…</span>}
    </>
  );
}

/** `/vm/{uuid}`: one VM's page (describeVm needs no AZ or cluster). */
export const vmHref = (uuid: string) => `/vm/${uuid}`;

/** The AZ and cluster fields of a form (a VM or NIC is made in a cluster), filled from the API. */
export function usePlaceFields(azUuid: string, clusterUuid: string): FieldSpec[] {
  const zones = useAllZones();
  const clusters = useAllClusters(azUuid || undefined);
  const clusterList = (clusters.data?.elements ?? []).filter((cluster) => cluster.az_uuid === azUuid);
  return [
    {
      name: 'az_uuid',
      label: 'Availability zone',
      type: 'select',
      required: true,
      options: [
        { value: '', label: 'Pick an availability zone' },
        ...(zones.data?.elements ?? []).map((az) => ({ value: az.uuid, label: az.name })),
      ],
    },
    {
      name: 'cluster_uuid',
      label: 'Cluster',
      type: 'select',
      required: true,
      options: [
        { value: '', label: clusterList.length || !clusterUuid ? 'Pick a cluster' : 'No cluster in this availability zone' },
        ...clusterList.map((cluster) => ({ value: cluster.uuid, label: cluster.name })),
      ],
    },
  ];
}

/** Every subnet of a cluster's networks, for pickers ("net-1 / sub-1 (192.168.231.0/24)"). */
export function useClusterSubnets(azUuid: string, clusterUuid: string) {
  return useQuery({
    queryKey: ['network', 'subnets-of', clusterUuid],
    queryFn: async () => {
      const path = { AzUuid: azUuid, ClusterUuid: clusterUuid };
      const networks = await client.call('listNetwork', { params: { path, query: { size: 1000, sort: 'name', order: 'asc' } } });
      const subnets = await Promise.all(
        networks.elements.map((network) =>
          client.call('listSubnet', {
            params: { path: { ...path, NetworkUuid: network.uuid }, query: { size: 1000, sort: 'name', order: 'asc' } },
          }),
        ),
      );
      return subnets.flatMap((page) => page.elements);
    },
    enabled: Boolean(azUuid && clusterUuid),
  });
}

export const subnetOptions = (subnets: Subnet[] | undefined, none: string) => [
  { value: '', label: subnets?.length ? 'Pick a subnet' : none },
  ...(subnets ?? []).map((subnet) => ({
    value: subnet.uuid,
    label: `${subnet.network_name} / ${subnet.name} (${subnet.cidr})`,
  })),
];

/** The security groups the caller may use (its own; administrators see all), for pickers. */
export function useSecurityGroupOptions() {
  const groups = useQuery({
    queryKey: ['security_group', 'all'],
    queryFn: () => client.call('listSecurityGroup', { params: { query: { size: 1000, sort: 'name', order: 'asc' } } }),
  });
  return [
    { value: '', label: 'None' },
    ...(groups.data?.elements ?? []).map((group) => ({ value: group.uuid, label: group.name })),
  ];
}
