import type { DomainEvent, Transaction } from '@chime/event-log';
import { ImportedIds, ImportReport, type ImportContext, type SourceDatabase } from '../../platform/import/importer';
import { ClientEntity } from './client.entity';
import { HostEntity } from './host.entity';
import { HOSTS_IMPORTER, ratioOf } from './hosts.importer';

const AZ = '4a28bf21-1600-40e5-924f-5c03c7f76d4f';
const CLUSTER = 'd42d3779-e25d-45fd-b7a0-7c36fdd89496';
const node = (n: number) => `b88c944f-9b88-4a3c-a004-${String(n).padStart(12, '0')}`;
const GIB = 1024 ** 3;

const client = (uuid: string, extra: object = {}) => ({
  uuid,
  name: `chime${uuid.slice(-1)}`,
  description: '',
  rack_name: 'rack1',
  manage_ip: '127.0.0.1',
  node_ip: '',
  storage_ip: '',
  reserved_ip1: '',
  reserved_ip2: '',
  vcpus: 2,
  memory: 2 * GIB,
  domains: 0,
  active_domains: 0,
  created_at: '2024-06-05 09:21:28',
  heartbeat_at: '2024-06-06 00:44:42',
  ...extra,
});
const host = (uuid: string, state = 1, extra: object = {}) => ({
  uuid,
  az_uuid: AZ,
  cluster_uuid: CLUSTER,
  name: `chime${uuid.slice(-1)}`,
  state,
  description: '',
  created_at: '2024-06-05 13:37:29',
  heartbeat_at: null,
  ...extra,
});
const inventory = (uuid: string, extra: object = {}) => ({
  uuid,
  total_vcpus: 8,
  used_vcpus: 0,
  physical_vcpus: 4,
  reserved_vcpus: 0,
  total_memory: 7780073472,
  used_memory: 0,
  physical_memory: 3890036736,
  reserved_memory: 0,
  ...extra,
});

/** Plans an import of these source tables into a target that has the cluster, and writes it into a fake transaction. */
async function plan(tables: Record<string, object[]>) {
  const source: SourceDatabase = { select: (table) => Promise.resolve((tables[table] ?? []) as never) };
  const ids = new ImportedIds();
  ids.add('cluster', CLUSTER, { az_uuid: AZ });
  const context: ImportContext = { source, report: new ImportReport(), ids, startedAt: new Date(), isRenamed: () => false };
  const work = await HOSTS_IMPORTER.plan(context);
  const rows = { clients: [] as ClientEntity[], hosts: [] as HostEntity[] };
  const streams = new Map<string, string[]>();
  const tx = {
    manager: {
      insert: (entity: unknown, row: never) =>
        Promise.resolve(entity === ClientEntity ? rows.clients.push(row) : rows.hosts.push(row)),
    },
    append: (stream: { type: string; id: string }, version: number, events: DomainEvent[]) => {
      const key = `${stream.type}/${stream.id}`;
      streams.set(key, [...(streams.get(key) ?? []), ...events.map((event) => event.type)]);
      return Promise.resolve(version + events.length);
    },
  } as unknown as Transaction;
  if (context.report.problems.length === 0) await work.write(tx, () => undefined);
  return { report: context.report, ids, rows, streams };
}

describe('ratioOf', () => {
  it("gives back ChimeStack's total here: floor(physical × ratio) is the total, whatever the rounding", () => {
    expect(ratioOf(8, 4)).toBe(2);
    expect(ratioOf(7780073472, 3890036736)).toBe(2);
    expect(ratioOf(5, 0)).toBe(1);
    const wrong: string[] = [];
    for (let physical = 1; physical <= 256; physical++) {
      for (let total = 0; total <= physical * 8; total++) {
        if (Math.floor(physical * ratioOf(total, physical)) !== total) wrong.push(`${total}/${physical}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('HOSTS_IMPORTER', () => {
  it('brings every client in unenrolled and unreachable, hosts adopted with their states and ratios', async () => {
    const { report, rows, streams, ids } = await plan({
      t_client: [client(node(1)), client(node(2)), client(node(3)), client(node(4))],
      t_host: [host(node(1)), host(node(2), 2), host(node(3), 4), host(node(5), 0, { name: 'orphan' })],
      t_host_inventory: [
        inventory(node(1), { reserved_vcpus: 1, used_vcpus: 3 }),
        inventory(node(2), { total_vcpus: 10 }),
        inventory(node(3)),
      ],
    });
    expect(report.problems).toEqual([]);
    expect(Object.fromEntries(report.imported)).toEqual({ t_client: 4, t_host: 3, t_host_inventory: 2 });
    expect(report.skipped).toEqual([
      { table: 't_host', uuid: node(3), reason: 'deleted in ChimeStack (state 4); its node comes in as a client not adopted' },
      { table: 't_host_inventory', uuid: node(3), reason: 'its host is skipped' },
    ]);
    expect(report.notes).toEqual([
      `t_host ${node(5)} ("orphan"): no t_client row; its node is made from the host (its name, no addresses, no size until its agent enrols)`,
      `t_host ${node(5)}: no t_host_inventory row; ratios 1, nothing reserved or placed`,
    ]);
    const byUuid = new Map(rows.clients.map((c) => [c.uuid, c]));
    for (const c of rows.clients) expect(c).toMatchObject({ credentialHash: null, monitorState: 0 });
    expect(byUuid.get(node(1))).toMatchObject({ state: 1, version: 2, physicalVcpus: 4, physicalMemory: 3890036736 });
    expect(byUuid.get(node(3))).toMatchObject({ state: 0, version: 1, physicalVcpus: 2, physicalMemory: 2 * GIB });
    expect(byUuid.get(node(5))).toMatchObject({ name: 'orphan', manageIp: '', state: 1, physicalVcpus: 0, heartbeatAt: null });
    expect(rows.hosts.map((h) => [h.uuid, h.state, h.cpuRatio, h.memoryRatio, h.reservedVcpus, h.usedVcpus])).toEqual([
      [node(1), 1, 2, 2, 1, 0],
      [node(2), 2, 2.5, 2, 0, 0],
      [node(5), 0, 1, 1, 0, 0],
    ]);
    expect(streams.get(`client/${node(1)}`)).toEqual(['ClientEnrolled', 'ClientAdopted']);
    expect(streams.get(`client/${node(4)}`)).toEqual(['ClientEnrolled']);
    expect(streams.get(`host/${node(1)}`)).toEqual(['HostCreated']);
    expect(streams.get(`host/${node(2)}`)).toEqual(['HostCreated', 'HostStateChanged']);
    expect(ids.get('host', node(2))).toEqual({ az_uuid: AZ, cluster_uuid: CLUSTER });
  });

  it('refuses names, addresses, states and inventories this server cannot take, naming the way out', async () => {
    const { report } = await plan({
      t_client: [
        client(node(1), { name: 'bad name', manage_ip: '10.0.0.300' }),
        client(node(2)),
        client(node(3)),
        client(node(4), { vcpus: -1 }),
      ],
      t_host: [host(node(2), 3), host(node(3), 1, { az_uuid: CLUSTER }), host(node(6))],
      t_host_inventory: [inventory(node(6), { total_vcpus: 0, reserved_memory: 4 * GIB })],
    });
    expect(report.problems.map((p) => `${p.table} ${p.uuid}: ${p.message}`)).toEqual([
      `t_host ${node(2)}: unknown state 3`,
      `t_host ${node(3)}: az_uuid ${CLUSTER} is not the AZ of its cluster ${CLUSTER}`,
      `t_host_inventory ${node(6)}: cpu_ratio must be at least 0.01; reserved_memory 4294967296 is more than the node's 3890036736 bytes of memory (cpu_ratio = total_vcpus / physical_vcpus, memory_ratio likewise; fix with --set t_host_inventory:${node(6)}.<column>=<value>)`,
      `t_client ${node(1)}: manage_ip must be an IPv4 or IPv6 address, or ""; name must be a host name: 1 to 64 of A-Z a-z 0-9 . _ -, ` +
        `starting with a letter or digit (name "bad name"; fix with --rename t_client:${node(1)}=<name> or --set t_client:${node(1)}.<column>=<value>)`,
      expect.stringMatching(new RegExp(`^t_client ${node(4)}: physical_vcpus must not be less than 0`)),
    ]);
  });

  it('takes at most 256 hosts in a cluster', async () => {
    const uuids = Array.from({ length: 257 }, (_, i) => node(100 + i));
    const { report } = await plan({ t_client: uuids.map((uuid) => client(uuid)), t_host: uuids.map((uuid) => host(uuid)) });
    expect(report.problems).toEqual([
      { table: 't_cluster', uuid: CLUSTER, message: '257 hosts in one cluster, this server holds at most 256' },
    ]);
  });
});
