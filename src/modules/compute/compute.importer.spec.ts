import type { Transaction } from '@chime/event-log';
import { ImportedIds, ImportReport, type ImportContext, type SourceDatabase } from '../../platform/import/importer';
import { HostPort } from '../hosts/host.port';
import { NicPort } from '../networks/nic.port';
import { StoragePort, type VolumeOnImport } from '../storage/storage.port';
import { COMPUTE_IMPORTER, orderAttached } from './compute.importer';
import { VmEntity, VmVolumeEntity } from './vm.entity';

const AZ = '4a28bf21-1600-40e5-924f-5c03c7f76d4f';
const CLUSTER = 'd42d3779-e25d-45fd-b7a0-7c36fdd89496';
const HOST = 'b88c944f-9b88-4a3c-a004-4c3e29f1f8c1';
const SKIPPED_HOST = '77777777-0000-4000-8000-000000000003';
const USER = '22222222-0000-4000-8000-000000000003';
const GONE_USER = '22222222-0000-4000-8000-000000000005';
const SPEC = '2a3689cb-09d3-41fd-a6e2-992acc0eda22';
const IMAGE = 'c6688223-2460-4121-b81d-038fd5defe39';
const vm = (n: number) => `aaaa0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const vol = (n: number) => `99999999-0000-4000-8000-${String(n).padStart(12, '0')}`;
const nic = (n: number) => `66666666-0000-4000-8000-${String(n).padStart(12, '0')}`;
const GIB = 1024 ** 3;

const vmRow = (uuid: string, extra: object = {}) => ({
  uuid,
  name: `vm-${uuid.slice(-1)}`,
  user_uuid: USER,
  az_uuid: AZ,
  cluster_uuid: CLUSTER,
  host_uuid: HOST,
  last_host_uuid: '',
  state: 1,
  vcpus: 2,
  memory: 4 * GIB,
  operation: '',
  instance_spec_uuid: SPEC,
  description: null,
  created_at: '2024-06-07 12:00:00',
  ...extra,
});
const attached = (vmUuid: string, volumeUuid: string, target: string, extra: object = {}) => ({
  vm_uuid: vmUuid,
  volume_uuid: volumeUuid,
  target,
  state: 1,
  created_at: '2024-06-07 12:00:00',
  ...extra,
});

const facts = (uuid: string, root: 0 | 1, extra: Partial<VolumeOnImport> = {}): VolumeOnImport => ({
  uuid,
  root,
  imageUuid: root ? IMAGE : null,
  clusterUuid: CLUSTER,
  hostUuid: HOST,
  local: true,
  ...extra,
});

async function plan(tables: Record<string, object[]>) {
  const source: SourceDatabase = { select: (table) => Promise.resolve((tables[table] ?? []) as never) };
  const ids = new ImportedIds();
  ids.add('host', HOST, { az_uuid: AZ, cluster_uuid: CLUSTER });
  ids.skipped('host', SKIPPED_HOST);
  ids.add('user', USER);
  ids.add('instance_spec', SPEC);
  for (let n = 1; n <= 4; n++) ids.add('volume', vol(n));
  ids.skipped('volume', vol(9));
  const context: ImportContext = { source, report: new ImportReport(), ids, startedAt: new Date(), isRenamed: () => false };
  const work = await COMPUTE_IMPORTER.plan(context);
  return { report: context.report, work };
}

describe('orderAttached', () => {
  it('puts the root first, then orders by target and time; a missing or repeated target takes the first free vdX', () => {
    const at = (minute: number) => new Date(Date.UTC(2024, 5, 7, 12, minute));
    const rows = orderAttached(
      [
        { uuid: vol(1), target: 'vdc', createdAt: at(0) },
        { uuid: vol(2), target: 'vdb', createdAt: at(1) },
        { uuid: vol(3), target: '', createdAt: at(2) },
        { uuid: vol(4), target: 'vdb', createdAt: at(3) },
      ],
      new Map([[vol(1), facts(vol(1), 1)]]),
    );
    expect(rows.map((row) => [row.volumeUuid, row.target, row.position])).toEqual([
      [vol(1), 'vdc', 0],
      [vol(3), 'vda', 1],
      [vol(2), 'vdb', 2],
      [vol(4), 'vdd', 3],
    ]);
  });
});

describe('COMPUTE_IMPORTER', () => {
  afterEach(() => jest.restoreAllMocks());

  it('brings VMs in idle with their volumes and NICs, skips what is gone, and recomputes host claims', async () => {
    const { report, work } = await plan({
      t_vm: [
        vmRow(vm(1), { operation: 'Starting#req-1' }),
        vmRow(vm(2), { state: 10, vcpus: 8, cluster_uuid: '' }),
        vmRow(vm(3), { state: 5 }),
        vmRow(vm(4), { host_uuid: SKIPPED_HOST }),
        vmRow(vm(5), { user_uuid: GONE_USER }),
      ],
      r_vm_volume: [
        attached(vm(1), vol(2), 'vdb'),
        attached(vm(1), vol(1), 'vda'),
        attached(vm(1), vol(3), 'vdc', { state: 4 }),
        attached(vm(3), vol(4), 'vda'),
        attached(vm(1), vol(9), 'vdd'),
      ],
      r_vm_nic: [{ vm_uuid: vm(1), nic_uuid: nic(1), state: 1, created_at: null }],
    });
    expect(report.problems).toEqual([]);
    expect(Object.fromEntries(report.imported)).toEqual({ t_vm: 2, r_vm_volume: 2, r_vm_nic: 1 });
    expect(report.skipped).toEqual([
      { table: 't_vm', uuid: vm(3), reason: 'deleted in ChimeStack (state 5)' },
      { table: 't_vm', uuid: vm(4), reason: `its host ${SKIPPED_HOST} is skipped` },
      { table: 't_vm', uuid: vm(5), reason: `its user ${GONE_USER} is not imported` },
      { table: 'r_vm_volume', uuid: `${vm(1)}/${vol(3)}`, reason: 'not attached (state 4)' },
      { table: 'r_vm_volume', uuid: `${vm(3)}/${vol(4)}`, reason: `its vm ${vm(3)} is skipped` },
      { table: 'r_vm_volume', uuid: `${vm(1)}/${vol(9)}`, reason: `its volume ${vol(9)} is skipped` },
    ]);
    expect(report.notes).toEqual([
      `t_vm ${vm(1)}: "Starting#req-1" was under way in ChimeStack; nothing runs after an import, it comes in idle`,
      `t_host ${HOST}: its claims are what its imported VMs that are not failed claim: 2 vCPUs, ${4 * GIB} bytes of memory`,
    ]);

    const marked = jest
      .spyOn(StoragePort, 'markAttachedOnImport')
      .mockImplementation((_tx, uuids) => Promise.resolve(uuids.map((uuid) => facts(uuid, uuid === vol(1) ? 1 : 0))));
    const attachedNics = jest.spyOn(NicPort, 'attachOnImport').mockResolvedValue();
    const claimed = jest.spyOn(HostPort, 'setClaimsOnImport').mockResolvedValue();
    const inserted = new Map<unknown, unknown[]>([
      [VmEntity, []],
      [VmVolumeEntity, []],
    ]);
    const appended: { id: string; expected: number; data: Record<string, unknown> }[] = [];
    const tx = {
      manager: {
        insert: (entity: unknown, row: unknown) => Promise.resolve(inserted.get(entity)!.push(...(Array.isArray(row) ? row : [row]))),
      },
      append: (stream: { id: string }, expected: number, events: { data: Record<string, unknown> }[]) =>
        Promise.resolve(appended.push(...events.map((event) => ({ id: stream.id, expected, data: event.data })))),
    } as unknown as Transaction;
    let done = 0;
    await work.write(tx, () => done++);
    expect(done).toBe(2);

    expect(marked).toHaveBeenCalledWith(tx, [vol(2), vol(1)]);
    expect(attachedNics).toHaveBeenCalledWith(tx, nic(1), vm(1));
    const [first, failed] = inserted.get(VmEntity) as VmEntity[];
    expect(first).toMatchObject({
      uuid: vm(1),
      azUuid: AZ,
      clusterUuid: CLUSTER,
      hostUuid: HOST,
      imageUuid: IMAGE,
      state: 1,
      operation: '',
      vncPort: 0,
      version: 1,
      description: '',
      createdAt: new Date('2024-06-07T12:00:00Z'),
    });
    expect(failed).toMatchObject({ uuid: vm(2), clusterUuid: CLUSTER, state: 10, imageUuid: '' });
    expect(inserted.get(VmVolumeEntity)).toEqual([
      { vmUuid: vm(1), volumeUuid: vol(1), target: 'vda', position: 0 },
      { vmUuid: vm(1), volumeUuid: vol(2), target: 'vdb', position: 1 },
    ]);
    expect(appended.map((event) => [event.id, event.expected, event.data.volume_uuids])).toEqual([
      [vm(1), 0, [vol(1), vol(2)]],
      [vm(2), 0, []],
    ]);
    // The failed VM claims nothing; the host's claims become its VMs': 6 − 6 + 2 vCPUs.
    expect(claimed).toHaveBeenCalledWith(tx.manager, HOST, { vcpus: 2, memory: 4 * GIB });
  });

  it('refuses rows this server cannot take, naming the way out', async () => {
    const { report } = await plan({
      t_vm: [
        vmRow(vm(1), { user_uuid: 'admin' }),
        vmRow(vm(2), { instance_spec_uuid: null }),
        vmRow(vm(3), { state: 3 }),
        vmRow(vm(4), { vcpus: 0, name: 'x'.repeat(65) }),
        vmRow(vm(5)),
        vmRow(vm(6)),
      ],
      r_vm_volume: [attached(vm(5), vol(1), 'vda'), attached(vm(6), vol(1), 'vda'), attached(vm(7), vol(2), 'vda')],
    });
    expect(report.problems.map((problem) => [problem.table, problem.uuid, problem.message])).toEqual([
      ['t_vm', vm(1), `user_uuid "admin" is not a user's uuid (fix with --set t_vm:${vm(1)}.user_uuid=<uuid>)`],
      ['t_vm', vm(2), expect.stringContaining('instance_spec_uuid NULL is not an imported instance specification')],
      ['t_vm', vm(3), `unknown state 3 (fix with --set t_vm:${vm(3)}.state=<0, 1, 4 or 10>)`],
      ['t_vm', vm(4), expect.stringMatching(/^vcpus must be 1 or more; name .*--rename t_vm:/)],
      ['r_vm_volume', `${vm(6)}/${vol(1)}`, `volume ${vol(1)} is attached to VM ${vm(5)} too; a volume is attached to one VM`],
      ['r_vm_volume', `${vm(7)}/${vol(2)}`, `refers to vm ${vm(7)}, which is not imported`],
    ]);
  });
});
