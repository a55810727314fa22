import type { DomainEvent, Transaction } from '@chime/event-log';
import { PickType } from '@nestjs/swagger';
import { IsIP, IsString, MaxLength, ValidateIf } from 'class-validator';
import type { EntityManager } from 'typeorm';
import {
  checkLimit,
  dtoProblems,
  refuse,
  sourceTime,
  sourceUuid,
  writeRow,
  type ImportContext,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { ResourceDescription } from '../../platform/http/resource-fields';
import { AgentHeartbeatDto } from './agent.dto';
import { CLIENT_STREAM, ClientEntity } from './client.entity';
import { checkReservations } from './commands/create-host';
import { ClientState, HOST_LIMITS, HostState, MonitorState } from './host.contract';
import { CreateHostDto } from './host.dto';
import { HOST_STREAM, HostEntity } from './host.entity';
import { ClientAdopted, ClientEnrolled, HostCreated, HostStateChanged } from './host.events';
import { toClientAggregate, toHostAggregate } from './host.view';

const CLIENTS = 't_client';
const HOSTS = 't_host';
const INVENTORIES = 't_host_inventory';

/** ChimeStack's `t_host.state` → ours; 4 (deleted) is skipped. */
const HOST_STATES: Record<number, HostState> = { 0: HostState.Disabled, 1: HostState.Enabled, 2: HostState.Suspended };
const DELETED = 4;

interface ClientSourceRow {
  uuid: string;
  name: string;
  description: string | null;
  rack_name: string;
  manage_ip: string;
  node_ip: string;
  storage_ip: string;
  reserved_ip1: string;
  reserved_ip2: string;
  vcpus: number;
  memory: number;
  domains: number;
  active_domains: number;
  created_at: string | null;
  heartbeat_at: string | null;
}

interface HostSourceRow {
  uuid: string;
  az_uuid: string;
  cluster_uuid: string;
  name: string;
  state: number;
  description: string | null;
  created_at: string | null;
  heartbeat_at: string | null;
}

/** `host_uuid` is read as `uuid`, so that `--set t_host_inventory:<host uuid>.<column>=…` finds the row. */
interface InventorySourceRow {
  uuid: string;
  total_vcpus: number;
  used_vcpus: number;
  physical_vcpus: number;
  reserved_vcpus: number;
  total_memory: number;
  used_memory: number;
  physical_memory: number;
  reserved_memory: number;
}

/**
 * A node's facts as ChimeStack kept them: what an agent reports (the same rules), but the management
 * address may be "" too (a node known only from `t_host` has none until its agent enrols).
 */
class SourceNodeDto extends PickType(AgentHeartbeatDto, [
  'name',
  'rack_name',
  'node_ip',
  'storage_ip',
  'reserved_ip1',
  'reserved_ip2',
  'domains',
  'active_domains',
] as const) {
  @IsString()
  @MaxLength(64)
  @ValidateIf((_, value) => value !== '')
  @IsIP(undefined, { message: 'manage_ip must be an IPv4 or IPv6 address, or ""' })
  manage_ip!: string;

  @ResourceDescription()
  description?: string;
}

/** The node's physical size: from `t_host_inventory` for a host, else `t_client`. */
class SourceCapacityDto extends PickType(AgentHeartbeatDto, ['physical_vcpus', 'physical_memory'] as const) {}

/** One node to write: its client, and its host when ChimeStack has it in a cluster. */
interface PlannedNode {
  /** The table the node comes from (`t_client`, or `t_host` when it has no client row): errors name it. */
  table: string;
  uuid: string;
  client: ClientEntity;
  host?: HostEntity;
}

/**
 * ChimeStack's `t_client`, `t_host` and `t_host_inventory` → clients and hosts, after the clusters.
 * Every client comes in without a credential and unreachable: its agent enrols again (with its uuid,
 * which it keeps) and is reachable from then on. A host keeps its cluster, state, reservations and
 * placed amounts; its ratios are derived from the inventory, where ChimeStack keeps
 * total = physical × ratio. No task is created: the node is in its cluster already.
 */
export const HOSTS_IMPORTER: Importer = {
  name: 'hosts',
  after: ['clusters'],
  async occupied(manager: EntityManager) {
    // Hosts are clients too; an agent enrolled before the import would be one.
    const count = await manager.count(ClientEntity);
    return count > 0 ? [`${count} clients`] : [];
  },
  async plan(context: ImportContext): Promise<ImportWork> {
    const clientRows = await context.source.select<ClientSourceRow>(CLIENTS, [
      'uuid',
      'name',
      'description',
      'rack_name',
      'manage_ip',
      'node_ip',
      'storage_ip',
      'reserved_ip1',
      'reserved_ip2',
      'vcpus',
      'memory',
      'domains',
      'active_domains',
      'created_at',
      'heartbeat_at',
    ]);
    const hostRows = await context.source.select<HostSourceRow>(HOSTS, [
      'uuid',
      'az_uuid',
      'cluster_uuid',
      'name',
      'state',
      'description',
      'created_at',
      'heartbeat_at',
    ]);
    const inventoryRows = await context.source.select<InventorySourceRow>(
      INVENTORIES,
      [
        'host_uuid AS uuid',
        'total_vcpus',
        'used_vcpus',
        'physical_vcpus',
        'reserved_vcpus',
        'total_memory',
        'used_memory',
        'physical_memory',
        'reserved_memory',
      ],
      'host_uuid',
    );
    const clients = new Map<string, ClientSourceRow>();
    for (const row of clientRows) {
      const uuid = sourceUuid(context, CLIENTS, row.uuid);
      if (uuid) clients.set(uuid, row);
    }
    const inventories = new Map<string, InventorySourceRow>();
    for (const row of inventoryRows) {
      const uuid = sourceUuid(context, INVENTORIES, row.uuid);
      if (uuid) inventories.set(uuid, row);
    }

    const nodes: PlannedNode[] = [];
    const seen = new Set<string>();
    /** Nodes whose client was planned (or refused) with their host: not planned again as free clients. */
    const planned = new Set<string>();
    for (const row of hostRows) {
      const uuid = sourceUuid(context, HOSTS, row.uuid);
      if (!uuid) continue;
      seen.add(uuid);
      const node = planHost(context, uuid, row, clients.get(uuid), inventories.get(uuid), planned);
      if (node) nodes.push(node);
    }
    for (const uuid of inventories.keys()) {
      if (seen.has(uuid)) continue;
      context.report.skip(INVENTORIES, uuid, 'no host of this uuid in t_host');
    }
    for (const [uuid, row] of clients) {
      if (planned.has(uuid)) continue;
      const node = planClient(context, uuid, row, undefined);
      if (node) nodes.push(node);
    }

    checkLimit(
      context,
      't_cluster',
      nodes.flatMap((node) => (node.host ? [node.host.clusterUuid] : [])),
      HOST_LIMITS.hostsPerCluster,
      'hosts in one cluster',
    );
    for (const node of nodes) {
      context.ids.add('client', node.uuid);
      if (node.host) context.ids.add('host', node.uuid, { az_uuid: node.host.azUuid, cluster_uuid: node.host.clusterUuid });
    }
    context.report.count(CLIENTS, nodes.filter((node) => node.table === CLIENTS).length);
    context.report.count(HOSTS, nodes.filter((node) => node.host).length);
    context.report.count(INVENTORIES, nodes.filter((node) => node.host && inventories.has(node.uuid)).length);
    return {
      rows: nodes.length,
      async write(tx, done) {
        for (const node of nodes) {
          await writeRow({ table: node.table, uuid: node.uuid }, () => writeNode(tx, node));
          done();
        }
      },
    };
  },
};

/** Writes a node as enrolment and createHost would have: ClientEnrolled, then ClientAdopted and HostCreated (enabled), then its state. */
async function writeNode(tx: Transaction, { client, host }: PlannedNode): Promise<void> {
  await tx.manager.insert(ClientEntity, client);
  const clientEvents = [new ClientEnrolled(toClientAggregate({ ...client, state: ClientState.Free }))];
  if (!host) {
    await tx.append({ type: CLIENT_STREAM, id: client.uuid }, 0, clientEvents);
    return;
  }
  await tx.manager.insert(HostEntity, host);
  await tx.append({ type: CLIENT_STREAM, id: client.uuid }, 0, [
    ...clientEvents,
    new ClientAdopted({ uuid: client.uuid, cluster_uuid: host.clusterUuid }),
  ]);
  const hostEvents: DomainEvent[] = [new HostCreated(toHostAggregate({ ...host, state: HostState.Enabled }))];
  if (host.state !== HostState.Enabled) hostEvents.push(new HostStateChanged({ uuid: host.uuid, state: host.state }));
  await tx.append({ type: HOST_STREAM, id: host.uuid }, 0, hostEvents);
}

/** A `t_host` row: its host, and its client (from `t_client`, or made from the host's own row). */
function planHost(
  context: ImportContext,
  uuid: string,
  row: HostSourceRow,
  clientRow: ClientSourceRow | undefined,
  inventory: InventorySourceRow | undefined,
  planned: Set<string>,
): PlannedNode | undefined {
  const hostRow = { table: HOSTS, uuid, kind: 'host' };
  if (row.state === DELETED) {
    context.report.skip(HOSTS, uuid, 'deleted in ChimeStack (state 4); its node comes in as a client not adopted');
    context.ids.skipped('host', uuid);
    if (inventory) context.report.skip(INVENTORIES, uuid, 'its host is skipped');
    return undefined;
  }
  const state = HOST_STATES[row.state];
  if (state === undefined) {
    context.report.problem(HOSTS, uuid, `unknown state ${row.state}`);
    return undefined;
  }
  const cluster = context.ids.parent(context, hostRow, 'cluster', row.cluster_uuid);
  if (!cluster) {
    if (inventory) context.report.skip(INVENTORIES, uuid, 'its host is skipped');
    return undefined;
  }
  if (cluster.az_uuid !== row.az_uuid.toLowerCase()) {
    context.report.problem(HOSTS, uuid, `az_uuid ${row.az_uuid} is not the AZ of its cluster ${row.cluster_uuid}`);
    return undefined;
  }
  if (clientRow && context.isRenamed({ table: HOSTS, uuid })) {
    context.report.problem(
      HOSTS,
      uuid,
      `a host's name is its node's: rename it with --rename ${CLIENTS}:${uuid}=<name>, not --rename ${HOSTS}:${uuid}`,
    );
    return undefined;
  }
  if (clientRow && clientRow.name !== row.name) {
    context.report.notes.push(
      `${HOSTS} ${uuid}: named "${row.name}", its node "${clientRow.name}": a host takes its node's name`,
    );
  }
  // Every check runs, so that one dry run lists every problem of the row.
  planned.add(uuid);
  const node = clientRow
    ? planClient(context, uuid, clientRow, inventory)
    : planClient(context, uuid, clientOfHost(context, uuid, row), inventory, HOSTS);
  const description = row.description ?? '';
  const hostProblems = dtoProblems(CreateHostDto, { uuid, description });
  if (hostProblems.length > 0) {
    context.report.problem(HOSTS, uuid, `${hostProblems.join('; ')} (fix with --set ${HOSTS}:${uuid}.<column>=<value>)`);
  }
  const capacity = planCapacity(context, uuid, inventory);
  if (!node || !capacity || hostProblems.length > 0) return undefined;
  node.client.state = ClientState.Adopted;
  node.client.version = 2;
  node.host = {
    uuid,
    azUuid: cluster.az_uuid,
    clusterUuid: row.cluster_uuid.toLowerCase(),
    description,
    state,
    ...capacity,
    version: state === HostState.Enabled ? 1 : 2,
    createdAt: sourceTime(row.created_at, context),
  };
  return node;
}

/**
 * A host whose `t_client` row is gone: its node is made from the host's row (its name, no
 * addresses), so the host and what runs on it come in; its agent's enrolment fills the facts in.
 */
function clientOfHost(context: ImportContext, uuid: string, row: HostSourceRow): ClientSourceRow {
  context.report.notes.push(
    `${HOSTS} ${uuid} ("${row.name}"): no t_client row; its node is made from the host (its name, no addresses, no size until its agent enrols)`,
  );
  return {
    uuid,
    name: row.name,
    description: '',
    rack_name: '',
    manage_ip: '',
    node_ip: '',
    storage_ip: '',
    reserved_ip1: '',
    reserved_ip2: '',
    vcpus: 0,
    memory: 0,
    domains: 0,
    active_domains: 0,
    created_at: row.created_at,
    heartbeat_at: row.heartbeat_at,
  };
}

/**
 * A client as this server keeps one: no credential (its agent enrols again) and unreachable (nothing
 * heard from it since; its enrolment makes it reachable). The physical size is the inventory's when
 * the node is a host, else `t_client`'s vcpus and memory.
 */
function planClient(
  context: ImportContext,
  uuid: string,
  row: ClientSourceRow,
  inventory: InventorySourceRow | undefined,
  table = CLIENTS,
): PlannedNode | undefined {
  const fields = {
    name: row.name,
    description: row.description ?? '',
    rack_name: row.rack_name,
    manage_ip: row.manage_ip,
    node_ip: row.node_ip,
    storage_ip: row.storage_ip,
    reserved_ip1: row.reserved_ip1,
    reserved_ip2: row.reserved_ip2,
    domains: row.domains,
    active_domains: row.active_domains,
  };
  const problems = dtoProblems(SourceNodeDto, fields);
  if (!inventory) problems.push(...dtoProblems(SourceCapacityDto, { physical_vcpus: row.vcpus, physical_memory: row.memory }));
  if (problems.length > 0) {
    refuse(context, table, uuid, problems, row.name);
    return undefined;
  }
  const client: ClientEntity = {
    uuid,
    name: fields.name,
    description: fields.description,
    state: ClientState.Free,
    rackName: fields.rack_name,
    manageIp: fields.manage_ip,
    nodeIp: fields.node_ip,
    storageIp: fields.storage_ip,
    reservedIp1: fields.reserved_ip1,
    reservedIp2: fields.reserved_ip2,
    physicalVcpus: inventory ? inventory.physical_vcpus : row.vcpus,
    physicalMemory: inventory ? inventory.physical_memory : row.memory,
    monitorState: MonitorState.Unreachable,
    monitorMessage: '',
    credentialHash: null,
    heartbeatAt: heartbeatTime(row.heartbeat_at),
    domains: row.domains,
    activeDomains: row.active_domains,
    usedVcpus: 0,
    usedMemory: 0,
    activeUsedVcpus: 0,
    activeUsedMemory: 0,
    taskHead: 0,
    version: 1,
    createdAt: sourceTime(row.created_at, context),
  };
  return { table, uuid, client };
}

type Capacity = Pick<HostEntity, 'cpuRatio' | 'memoryRatio' | 'reservedVcpus' | 'reservedMemory' | 'usedVcpus' | 'usedMemory'>;

/**
 * The host's ratios and reservations from its inventory, checked as createHost checks them (ratios
 * 0.01–100, no more reserved than the node has). What is placed on it starts at nothing: the
 * compute import claims what its imported VMs claim, so a host's claims are always its VMs'. A host
 * without an inventory row gets createHost's defaults (ratios 1, nothing reserved), with a note.
 */
function planCapacity(context: ImportContext, uuid: string, inventory: InventorySourceRow | undefined): Capacity | undefined {
  if (!inventory) {
    context.report.notes.push(`${HOSTS} ${uuid}: no t_host_inventory row; ratios 1, nothing reserved or placed`);
    return { cpuRatio: 1, memoryRatio: 1, reservedVcpus: 0, reservedMemory: 0, usedVcpus: 0, usedMemory: 0 };
  }
  const capacity: Capacity = {
    cpuRatio: ratioOf(inventory.total_vcpus, inventory.physical_vcpus),
    memoryRatio: ratioOf(inventory.total_memory, inventory.physical_memory),
    reservedVcpus: inventory.reserved_vcpus,
    reservedMemory: inventory.reserved_memory,
    usedVcpus: 0,
    usedMemory: 0,
  };
  const problems = [
    ...dtoProblems(SourceCapacityDto, {
      physical_vcpus: inventory.physical_vcpus,
      physical_memory: inventory.physical_memory,
    }),
    ...dtoProblems(CreateHostDto, {
      uuid,
      cpu_ratio: capacity.cpuRatio,
      memory_ratio: capacity.memoryRatio,
      reserved_vcpus: capacity.reservedVcpus,
      reserved_memory: capacity.reservedMemory,
    }),
  ];
  for (const column of ['used_vcpus', 'used_memory'] as const) {
    if (!Number.isSafeInteger(inventory[column]) || inventory[column] < 0) problems.push(`${column} must be 0 or more`);
  }
  try {
    checkReservations(inventory.physical_vcpus, inventory.physical_memory, capacity.reservedVcpus, capacity.reservedMemory);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) {
    context.report.problem(
      INVENTORIES,
      uuid,
      `${problems.join('; ')} (cpu_ratio = total_vcpus / physical_vcpus, memory_ratio likewise; ` +
        `fix with --set ${INVENTORIES}:${uuid}.<column>=<value>)`,
    );
    return undefined;
  }
  return capacity;
}

/**
 * The over-commit ratio ChimeStack's inventory implies: it keeps total = physical × ratio (its
 * reservations not subtracted), so ratio = total / physical, 1 when the node reported no size. The
 * quotient is nudged up by the last bit where floating point would otherwise give back one less
 * than the total here (floor(physical × ratio)).
 */
export function ratioOf(total: number, physical: number): number {
  if (physical === 0) return 1;
  let ratio = total / physical;
  for (let nudges = 0; nudges < 4 && Math.floor(physical * ratio) < total; nudges++) ratio += ratio * Number.EPSILON;
  return ratio;
}

/** The last heartbeat ChimeStack saw, or none (NULL, or a zero date). */
function heartbeatTime(value: string | null): Date | null {
  const time = value === null ? undefined : new Date(`${value.replace(' ', 'T')}Z`);
  return time && !Number.isNaN(time.getTime()) ? time : null;
}
