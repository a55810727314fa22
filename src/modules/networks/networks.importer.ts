import {
  checkLimit,
  dtoProblems,
  RESOURCE_COLUMNS,
  occupiedBy,
  refuse,
  settleNames,
  sourceEnabled,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type SourceResourceRow,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { segmentOf } from './commands/create-network';
import { NETWORK_LIMITS, NetworkType } from './network.contract';
import { CreateNetworkDto } from './network.dto';
import { NETWORK_STREAM, NetworkEntity } from './network.entity';
import { NetworkCreated, SubnetCreated } from './network.events';
import { toNetworkState } from './network.view';
import { checkSubnetAddressing, refuseOverlap } from './subnet-addresses';
import { CreateSubnetDto } from './subnet.dto';
import { SUBNET_STREAM, SubnetEntity } from './subnet.entity';
import { toSubnetState } from './subnet.view';

const NETWORKS = 't_network';
const SUBNETS = 't_subnet';
/** A Linux device name, as CreateNetworkDto takes a bridge name. */
const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

interface NetworkSourceRow extends SourceResourceRow {
  az_uuid: string;
  cluster_uuid: string | null;
  type: number;
  vlan_id: string;
  interface_name: string;
}

interface SubnetSourceRow extends SourceResourceRow {
  network_uuid: string;
  cidr: string;
  gateway: string;
  reserved_ips: string;
}

/**
 * ChimeStack's `t_network` and `t_subnet` → networks of clusters and their subnets, checked as
 * createNetwork and createSubnet check them (device names, VLAN ids, CIDRs, no overlap).
 * ChimeStack keeps no bridge name: the network's name is taken when it is a device name not yet
 * used in its cluster, else `br-` and the first 12 hex digits of the network's uuid.
 */
export const NETWORKS_IMPORTER: Importer = {
  name: 'networks',
  after: ['clusters'],
  occupied: (manager) => occupiedBy(manager, NetworkEntity, 'networks'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const networks = await planNetworks(context);
    const subnets = await planSubnets(context);
    const byNetwork = new Map<string, SubnetEntity[]>(networks.map((network) => [network.uuid, []]));
    for (const subnet of subnets) byNetwork.get(subnet.networkUuid)!.push(subnet);
    return writeEach(NETWORKS, networks, async (tx, network) => {
      await tx.manager.insert(NetworkEntity, network);
      await tx.append({ type: NETWORK_STREAM, id: network.uuid }, 0, [new NetworkCreated(toNetworkState(network))]);
      for (const subnet of byNetwork.get(network.uuid)!) {
        await tx.manager.insert(SubnetEntity, subnet);
        await tx.append({ type: SUBNET_STREAM, id: subnet.uuid }, 0, [new SubnetCreated(toSubnetState(subnet))]);
      }
    });
  },
};

async function planNetworks(context: ImportContext): Promise<NetworkEntity[]> {
  const rows = await context.source.select<NetworkSourceRow>(NETWORKS, [
    ...RESOURCE_COLUMNS,
    'az_uuid',
    'cluster_uuid',
    'type',
    'vlan_id',
    'interface_name',
  ]);
  const live = rows.flatMap((row) => {
    const uuid = sourceUuid(context, NETWORKS, row.uuid);
    if (!uuid) return [];
    const state = sourceEnabled(context, { table: NETWORKS, uuid, kind: 'network' }, row.state);
    if (state === undefined) return [];
    if (!row.cluster_uuid) {
      context.report.skip(NETWORKS, uuid, 'in no cluster (cluster_uuid NULL); networks here belong to a cluster');
      context.ids.skipped('network', uuid);
      return [];
    }
    const cluster = context.ids.parent(context, { table: NETWORKS, uuid, kind: 'network' }, 'cluster', row.cluster_uuid);
    if (!cluster) return [];
    if (cluster.az_uuid !== row.az_uuid.toLowerCase()) {
      context.report.problem(NETWORKS, uuid, `az_uuid ${row.az_uuid} is not the AZ of its cluster ${row.cluster_uuid}`);
      return [];
    }
    const clusterUuid = row.cluster_uuid.toLowerCase();
    return [{ row, uuid, state, clusterUuid, azUuid: cluster.az_uuid, createdAt: sourceTime(row.created_at, context) }];
  });
  const names = settleNames(
    context,
    NETWORKS,
    live.map(({ row, uuid, clusterUuid, createdAt }) => ({ uuid, name: row.name, clusterUuid, createdAt })),
    (network) => network.clusterUuid,
  );
  const bridges = new Set<string>();
  const networks: NetworkEntity[] = [];
  for (const { row, uuid, state, clusterUuid, azUuid, createdAt } of live) {
    const vlanId = row.vlan_id === '' ? undefined : Number(row.vlan_id);
    const bridge =
      DEVICE_NAME.test(row.name) && !bridges.has(`${clusterUuid}/${row.name}`)
        ? row.name
        : `br-${uuid.replace(/-/g, '').slice(0, 12)}`;
    const network: NetworkEntity = {
      uuid,
      azUuid,
      clusterUuid,
      name: names.get(uuid)!,
      description: row.description ?? '',
      bridgeName: bridge,
      interfaceName: row.interface_name,
      type: row.type,
      vlanId: null,
      state,
      version: 1,
      createdAt,
    };
    const problems = dtoProblems(CreateNetworkDto, {
      name: network.name,
      description: network.description,
      bridge_name: network.bridgeName,
      interface_name: network.interfaceName,
      type: network.type,
      vlan_id: vlanId,
    });
    if (problems.length === 0) {
      try {
        network.vlanId = segmentOf(network.type as NetworkType, vlanId);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (problems.length > 0) {
      refuse(context, NETWORKS, uuid, problems, network.name);
      continue;
    }
    bridges.add(`${clusterUuid}/${bridge}`);
    networks.push(network);
    context.ids.add('network', uuid);
  }
  checkLimit(
    context,
    't_cluster',
    networks.map((network) => network.clusterUuid),
    NETWORK_LIMITS.networksPerCluster,
    'networks in one cluster',
  );
  context.report.count(NETWORKS, networks.length);
  return networks;
}

async function planSubnets(context: ImportContext): Promise<SubnetEntity[]> {
  const rows = await context.source.select<SubnetSourceRow>(SUBNETS, [
    ...RESOURCE_COLUMNS,
    'network_uuid',
    'cidr',
    'gateway',
    'reserved_ips',
  ]);
  const live = rows.flatMap((row) => {
    const uuid = sourceUuid(context, SUBNETS, row.uuid);
    if (!uuid) return [];
    const state = sourceEnabled(context, { table: SUBNETS, uuid, kind: 'subnet' }, row.state);
    if (
      state === undefined ||
      !context.ids.parent(context, { table: SUBNETS, uuid, kind: 'subnet' }, 'network', row.network_uuid)
    )
      return [];
    return [{ row, uuid, state, networkUuid: row.network_uuid.toLowerCase(), createdAt: sourceTime(row.created_at, context) }];
  });
  const names = settleNames(
    context,
    SUBNETS,
    live.map(({ row, uuid, networkUuid, createdAt }) => ({ uuid, name: row.name, networkUuid, createdAt })),
    (subnet) => subnet.networkUuid,
  );
  const subnets: SubnetEntity[] = [];
  for (const { row, uuid, state, networkUuid, createdAt } of live) {
    const name = names.get(uuid)!;
    const fields = {
      name,
      description: row.description ?? '',
      cidr: row.cidr,
      gateway: row.gateway,
      reserved_ips: row.reserved_ips,
    };
    const problems = dtoProblems(CreateSubnetDto, fields);
    const siblings = subnets.filter((subnet) => subnet.networkUuid === networkUuid);
    let subnet: SubnetEntity | undefined;
    if (problems.length === 0) {
      try {
        const addressing = checkSubnetAddressing(fields);
        refuseOverlap(addressing.cidr, siblings);
        if (siblings.length >= NETWORK_LIMITS.subnetsPerNetwork) {
          throw new Error(`more than ${NETWORK_LIMITS.subnetsPerNetwork} subnets in network ${networkUuid}`);
        }
        subnet = {
          uuid,
          networkUuid,
          name,
          description: fields.description,
          cidr: addressing.cidr,
          gateway: addressing.gateway,
          reservedIps: addressing.reserved_ips,
          type: addressing.type,
          state,
          version: 1,
          createdAt,
        };
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (!subnet) {
      refuse(context, SUBNETS, uuid, problems, name);
      continue;
    }
    subnets.push(subnet);
    // NICs (nics.importer.ts) check their addresses against these.
    context.ids.add('subnet', uuid, { cidr: subnet.cidr, gateway: subnet.gateway, reserved_ips: subnet.reservedIps });
  }
  context.report.count(SUBNETS, subnets.length);
  return subnets;
}
