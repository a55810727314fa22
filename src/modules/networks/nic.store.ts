import type { EntityManager } from 'typeorm';
import { describeForeignKey, describeUniqueConstraint } from '../../platform/database/database-errors';
import { FailedPreconditionError, NotFoundError } from '../../platform/errors/domain-error';
import { EntityRows } from '../../platform/database/entity-rows';
import type { NetworkType } from './network.contract';
import { addressPlan, addressTaken, checkNicAddress, formatAddress, formatMac, take, toNumber, walk, type AddressPlan } from './nic-addresses';
import { NicEntity } from './nic.entity';
import { parseAddress } from '../../platform/domain/ip';

describeUniqueConstraint('nics_subnet_ip_key', 'this ip is held by another network interface of the subnet');
describeUniqueConstraint('nics_mac_key', 'a network interface with this mac already exists');
// deleteSubnet fails on this key while NICs hold addresses of the subnet.
// The security-groups module's deleteSecurityGroup fails on this key while NICs use the group.
describeForeignKey('nics_sg_uuid_fkey', 'the security group is used by network interfaces; delete them or give them another group first');
describeForeignKey('nics_subnet_uuid_fkey', 'the subnet still holds network interfaces; delete them first');

export const NIC_ROWS = new EntityRows(NicEntity);

export const nicNotFound = (uuid: string) => new NotFoundError(`network interface ${uuid} not found`);

/** A subnet as NICs see it: its addresses, its network's bridge, type and cluster. */
export interface NicSubnet {
  uuid: string;
  name: string;
  cidr: string;
  gateway: string;
  reserved_ips: string;
  state: number;
  nic_cursor: string;
  network_uuid: string;
  network_name: string;
  network_state: number;
  bridge_name: string;
  network_type: NetworkType;
  vlan_id: number | null;
  cluster_uuid: string;
}

const SUBNET_SQL = `
SELECT s.uuid, s.name, s.cidr, s.gateway, s.reserved_ips, s.state, s.nic_cursor, s.network_uuid,
       n.name AS network_name, n.state AS network_state, n.bridge_name, n.type AS network_type, n.vlan_id, n.cluster_uuid
  FROM subnets s JOIN networks n ON n.uuid = s.network_uuid`;

/** Subnets by uuid with what NICs show of them and their networks (missing ones left out). */
export async function nicSubnets(manager: EntityManager, uuids: string[]): Promise<Map<string, NicSubnet>> {
  const wanted = [...new Set(uuids)];
  if (wanted.length === 0) return new Map();
  const rows: NicSubnet[] = await manager.query(
    `${SUBNET_SQL} WHERE s.uuid IN (SELECT value::uuid FROM jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(wanted)],
  );
  return new Map(rows.map((row) => [row.uuid, row]));
}

/**
 * The subnet a NIC is made in, its row locked until the commit: allocations in one subnet take
 * turns, so the address check and the cursor see every NIC committed before. 404 when missing;
 * 400 when it or its network is disabled.
 */
export async function lockSubnetForNic(manager: EntityManager, subnetUuid: string): Promise<NicSubnet & { plan: AddressPlan }> {
  const [subnet]: NicSubnet[] = await manager.query(`${SUBNET_SQL} WHERE s.uuid = $1 FOR UPDATE OF s`, [subnetUuid]);
  if (!subnet) throw new NotFoundError(`subnet ${subnetUuid} not found`);
  if (subnet.state !== 1 || subnet.network_state !== 1) {
    throw new FailedPreconditionError(`subnet ${subnet.name} (${subnet.uuid}) or its network is disabled: it takes no new network interfaces`);
  }
  return { ...subnet, plan: addressPlan(subnet) };
}

/** Who holds an address of the subnet, if anyone. */
async function holderOf(manager: EntityManager, subnetUuid: string, ip: string) {
  const [holder]: { uuid: string; name: string }[] = await manager.query(
    'SELECT uuid, name FROM nics WHERE subnet_uuid = $1 AND ip = $2',
    [subnetUuid, ip],
  );
  return holder;
}

/** Batches of candidates checked per query: small first (the cursor usually points at a free address), larger when the subnet is crowded. */
const FIRST_BATCH = 8;
const LARGEST_BATCH = 4096;

/**
 * An address for a new NIC of the locked subnet. `requested`: checked (of the subnet, allowed, not
 * held: 400 ALREADY_EXISTS naming the holder). Otherwise the first free address from the
 * subnet's cursor on, wrapping once; the cursor moves past it. Each look-up asks the unique
 * index (subnet_uuid, ip) about a batch of candidates, so an allocation costs one query in the
 * usual case, whatever the number of NICs; a full subnet is a 400 FAILED_PRECONDITION.
 */
export async function allocateAddress(
  manager: EntityManager,
  subnet: NicSubnet & { plan: AddressPlan },
  requested: string | undefined,
): Promise<string> {
  const { plan } = subnet;
  if (requested !== undefined) {
    const ip = checkNicAddress(plan, requested);
    const holder = await holderOf(manager, subnet.uuid, ip);
    if (holder) throw addressTaken(ip, holder);
    return ip;
  }
  const cursor = subnet.nic_cursor ? parseAddress(subnet.nic_cursor) : undefined;
  const start = cursor && cursor.kind() === plan.kind ? toNumber(cursor) : plan.first;
  const candidates = walk(plan, start);
  for (let size = FIRST_BATCH; ; size = Math.min(size * 4, LARGEST_BATCH)) {
    const batch = take(candidates, size).map((value) => ({ value, ip: formatAddress(value, plan.kind) }));
    if (batch.length === 0) {
      throw new FailedPreconditionError(`subnet ${subnet.name} (${subnet.cidr}) has no free address`);
    }
    const held: { ip: string }[] = await manager.query(
      'SELECT ip FROM nics WHERE subnet_uuid = $1 AND ip IN (SELECT jsonb_array_elements_text($2::jsonb))',
      [subnet.uuid, JSON.stringify(batch.map((candidate) => candidate.ip))],
    );
    const taken = new Set(held.map((row) => row.ip));
    const free = batch.find((candidate) => !taken.has(candidate.ip));
    if (free) {
      const next = free.value >= plan.last ? plan.first : free.value + 1n;
      await manager.query('UPDATE subnets SET nic_cursor = $2 WHERE uuid = $1', [subnet.uuid, formatAddress(next, plan.kind)]);
      return free.ip;
    }
  }
}

/**
 * A new MAC from the sequence: 52:54:00 and 24 bits. Imported NICs keep theirs, so a number whose
 * MAC is held already is passed over.
 */
export async function allocateMac(manager: EntityManager): Promise<string> {
  for (;;) {
    const [row]: { serial: string; held: boolean }[] = await manager.query(
      `SELECT serial, EXISTS (SELECT 1 FROM nics WHERE mac = '52:54:00:' || substr(hex, 1, 2) || ':' || substr(hex, 3, 2) || ':' || substr(hex, 5, 2)) AS held
         FROM (SELECT serial, lpad(to_hex(serial), 6, '0') AS hex FROM (SELECT nextval('nic_mac_seq') AS serial) s) h`,
    );
    if (!row.held) return formatMac(Number(row.serial));
  }
}

/** The NIC, its row locked until the commit; 404 when missing. */
export async function lockNic(manager: EntityManager, uuid: string): Promise<NicEntity> {
  const nic = await manager.findOne(NicEntity, { where: { uuid }, lock: { mode: 'pessimistic_write' } });
  if (!nic) throw nicNotFound(uuid);
  return nic;
}

/** deleteSubnet: a subnet holding NICs stays (400 naming it and how many). */
export async function refuseSubnetWithNics(manager: EntityManager, subnet: { uuid: string; name: string }): Promise<void> {
  const [{ count }]: { count: number }[] = await manager.query('SELECT count(*)::int AS count FROM nics WHERE subnet_uuid = $1', [subnet.uuid]);
  if (count > 0) {
    throw new FailedPreconditionError(
      `subnet ${subnet.name} (${subnet.uuid}) still holds ${count} network interface${count === 1 ? '' : 's'}; delete them first`,
    );
  }
}

/** updateSubnet: new addresses (cidr, gateway, reserved_ips) must still let every NIC of the subnet hold its address. */
export async function refuseStrandedNics(
  manager: EntityManager,
  subnet: { uuid: string; name: string },
  addressing: { cidr: string; gateway: string; reserved_ips: string },
): Promise<void> {
  const plan = addressPlan(addressing);
  const nics: { uuid: string; name: string; ip: string }[] = await manager.query(
    'SELECT uuid, name, ip FROM nics WHERE subnet_uuid = $1',
    [subnet.uuid],
  );
  for (const nic of nics) {
    try {
      checkNicAddress(plan, nic.ip);
    } catch (error) {
      throw new FailedPreconditionError(
        `network interface ${nic.name} (${nic.uuid}) holds ${nic.ip} in subnet ${subnet.name}, which the new addresses would not allow (${(error as Error).message})`,
      );
    }
  }
}
