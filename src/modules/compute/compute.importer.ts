import type { Transaction } from '@chime/event-log';
import { UUID } from '../../platform/http/validation';
import {
  checkLimit,
  dtoProblems,
  occupiedBy,
  refuse,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { HostPort } from '../hosts/host.port';
import { NicPort } from '../networks/nic.port';
import { StoragePort, type VolumeOnImport } from '../storage/storage.port';
import { COMPUTE_LIMITS, VmState } from './compute.contract';
import { CreateVmDto } from './compute.dto';
import { VmCreated } from './compute.events';
import { VM_STREAM, VmEntity, VmVolumeEntity } from './vm.entity';
import { diskTarget } from './vm-devices';
import { toVmWire } from './vm.view';

const VMS = 't_vm';
const VM_VOLUMES = 'r_vm_volume';
const VM_NICS = 'r_vm_nic';

/** `t_vm.state`: 0 unavailable, 1 running, 4 stopped, 10 failed are states here too; 5 is deleted. */
const VM_STATES = new Set<number>([VmState.Unavailable, VmState.Running, VmState.Stopped, VmState.Failed]);
const VM_DELETED = 5;
/** `r_vm_volume.state` and `r_vm_nic.state`: only 1 (attached) is an attachment (0 not attached, 2 reserved, 4 deleted). */
const ATTACHED = 1;

interface VmSourceRow {
  uuid: string;
  name: string;
  user_uuid: string;
  az_uuid: string;
  cluster_uuid: string;
  host_uuid: string;
  last_host_uuid: string;
  state: number;
  vcpus: number;
  memory: number;
  operation: string;
  instance_spec_uuid: string | null;
  description: string | null;
  created_at: string | null;
}

interface VmVolumeSourceRow {
  vm_uuid: string;
  volume_uuid: string;
  target: string;
  state: number;
  created_at: string | null;
}

interface VmNicSourceRow {
  vm_uuid: string;
  nic_uuid: string;
  state: number;
  created_at: string | null;
}

interface AttachedVolume {
  uuid: string;
  target: string;
  createdAt: Date;
}

/** A VM to write: its row (image_uuid from its root volume, settled when written) with what is attached to it. */
export interface PlannedVm {
  vm: VmEntity;
  volumes: AttachedVolume[];
  nics: string[];
}

/** Nothing runs on an imported VM, and no task of it is known here. */
const IDLE = {
  operation: '',
  lastOperationName: '',
  lastOperationState: 0 as const,
  lastOperationCreatedAt: null,
  lastOperationFinishedAt: null,
};

/**
 * ChimeStack's `t_vm`, `r_vm_volume` and `r_vm_nic` → VMs with their volumes (in use from now,
 * through StoragePort) and NICs (attached, through NicPort), after the hosts, instance specs,
 * users, volumes and NICs they refer to. Deleted VMs (5) are skipped, as are those of users or on
 * hosts not imported; a VM comes in idle (`operation` cleared). Each VM that is not failed claims
 * its host's vCPUs and memory: a host's claims are recomputed from its imported VMs.
 */
export const COMPUTE_IMPORTER: Importer = {
  name: 'compute',
  after: ['identity', 'hosts', 'instance-specs', 'storage', 'nics'],
  occupied: (manager) => occupiedBy(manager, VmEntity, 'VMs'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const vms = await planVms(context);
    await planVolumes(context, vms);
    await planNics(context, vms);
    const claims = hostClaims(context, [...vms.values()]);
    const work = writeEach(VMS, [...vms.values()].map((planned) => ({ uuid: planned.vm.uuid, planned })), (tx, { planned }) =>
      writeVm(tx, planned),
    );
    return {
      rows: work.rows,
      async write(tx, done) {
        await work.write(tx, done);
        await settleHostClaims(tx, claims);
      },
    };
  },
};

async function planVms(context: ImportContext): Promise<Map<string, PlannedVm>> {
  const rows = await context.source.select<VmSourceRow>(VMS, [
    'uuid',
    'name',
    'user_uuid',
    'az_uuid',
    'cluster_uuid',
    'host_uuid',
    'last_host_uuid',
    'state',
    'vcpus',
    'memory',
    'operation',
    'instance_spec_uuid',
    'description',
    'created_at',
  ]);
  const vms = new Map<string, PlannedVm>();
  for (const row of rows) {
    const uuid = sourceUuid(context, VMS, row.uuid);
    if (!uuid) continue;
    const vm = planVm(context, uuid, row);
    if (vm) vms.set(uuid, { vm, volumes: [], nics: [] });
  }
  context.report.count(VMS, vms.size);
  return vms;
}

function planVm(context: ImportContext, uuid: string, row: VmSourceRow): VmEntity | undefined {
  const skip = (reason: string) => {
    context.report.skip(VMS, uuid, reason);
    context.ids.skipped('vm', uuid);
    return undefined;
  };
  if (row.state === VM_DELETED) return skip(`deleted in ChimeStack (state ${row.state})`);
  if (!VM_STATES.has(row.state)) {
    context.report.problem(VMS, uuid, `unknown state ${row.state} (fix with --set ${VMS}:${uuid}.state=<0, 1, 4 or 10>)`);
    return undefined;
  }
  const userUuid = (row.user_uuid ?? '').toLowerCase();
  if (!UUID.test(userUuid)) {
    // ChimeStack's column defaults to "admin": whose VM it is must be said, not guessed.
    context.report.problem(VMS, uuid, `user_uuid "${row.user_uuid}" is not a user's uuid (fix with --set ${VMS}:${uuid}.user_uuid=<uuid>)`);
    return undefined;
  }
  if (!context.ids.get('user', userUuid)) return skip(`its user ${row.user_uuid} is not imported`);
  const hostUuid = (row.host_uuid ?? '').toLowerCase();
  const host = context.ids.get('host', hostUuid);
  if (!host) {
    return skip(
      hostUuid === ''
        ? 'on no host (host_uuid empty): a VM here runs on a host'
        : context.ids.get('skipped:host', hostUuid)
          ? `its host ${hostUuid} is skipped`
          : `its host ${hostUuid} is not imported`,
    );
  }
  const problems: string[] = [];
  const clusterUuid = (row.cluster_uuid || host.cluster_uuid).toLowerCase();
  if (clusterUuid !== host.cluster_uuid || (row.az_uuid ?? '').toLowerCase() !== host.az_uuid) {
    problems.push(`its host ${hostUuid} is in cluster ${host.cluster_uuid} of AZ ${host.az_uuid}, not in its own`);
  }
  const specUuid = (row.instance_spec_uuid ?? '').toLowerCase();
  if (!context.ids.get('instance_spec', specUuid)) {
    problems.push(
      `instance_spec_uuid ${row.instance_spec_uuid ?? 'NULL'} is not an imported instance specification ` +
        `(fix with --set ${VMS}:${uuid}.instance_spec_uuid=<uuid>)`,
    );
  }
  for (const column of ['vcpus', 'memory'] as const) {
    if (!Number.isSafeInteger(Number(row[column])) || Number(row[column]) <= 0) problems.push(`${column} must be 1 or more`);
  }
  const description = row.description ?? '';
  problems.push(
    ...dtoProblems(CreateVmDto, {
      az_uuid: host.az_uuid,
      cluster_uuid: host.cluster_uuid,
      name: row.name,
      description,
      instance_spec_uuid: specUuid || uuid,
      nics: [],
      volumes: [],
    }),
  );
  if (problems.length > 0) {
    refuse(context, VMS, uuid, problems, row.name);
    return undefined;
  }
  if (row.operation) {
    context.report.notes.push(`${VMS} ${uuid}: "${row.operation}" was under way in ChimeStack; nothing runs after an import, it comes in idle`);
  }
  const lastHost = (row.last_host_uuid ?? '').toLowerCase();
  context.ids.add('vm', uuid, { az_uuid: host.az_uuid, cluster_uuid: host.cluster_uuid, host_uuid: hostUuid });
  return {
    uuid,
    name: row.name,
    description,
    userUuid,
    azUuid: host.az_uuid,
    clusterUuid: host.cluster_uuid,
    hostUuid,
    lastHostUuid: UUID.test(lastHost) ? lastHost : '',
    instanceSpecUuid: specUuid,
    imageUuid: '',
    vcpus: Number(row.vcpus),
    memory: Number(row.memory),
    state: row.state as VmState,
    bootType: 'bios',
    hyperType: 'kvm',
    osType: '',
    osArch: '',
    osDetail: '',
    vncPort: 0,
    ...IDLE,
    version: 1,
    createdAt: sourceTime(row.created_at, context),
  };
}

/** `r_vm_volume` rows attached (state 1) to an imported VM, each volume to one VM at most. */
async function planVolumes(context: ImportContext, vms: Map<string, PlannedVm>): Promise<void> {
  const rows = await context.source.select<VmVolumeSourceRow>(
    VM_VOLUMES,
    ['vm_uuid', 'volume_uuid', 'target', 'state', 'created_at'],
    'created_at, vm_uuid, volume_uuid',
  );
  const holders = new Map<string, string>();
  let count = 0;
  for (const row of rows) {
    const label = { table: VM_VOLUMES, uuid: `${row.vm_uuid}/${row.volume_uuid}` };
    if (row.state !== ATTACHED) {
      context.report.skip(VM_VOLUMES, label.uuid, `not attached (state ${row.state})`);
      continue;
    }
    if (!context.ids.parent(context, label, 'vm', row.vm_uuid)) continue;
    if (!context.ids.parent(context, label, 'volume', row.volume_uuid)) continue;
    // A VM refused above is a problem already: the import stops.
    const planned = vms.get(row.vm_uuid.toLowerCase());
    if (!planned) continue;
    const volumeUuid = row.volume_uuid.toLowerCase();
    const holder = holders.get(volumeUuid);
    if (holder) {
      context.report.problem(VM_VOLUMES, label.uuid, `volume ${volumeUuid} is attached to VM ${holder} too; a volume is attached to one VM`);
      continue;
    }
    holders.set(volumeUuid, planned.vm.uuid);
    planned.volumes.push({ uuid: volumeUuid, target: row.target ?? '', createdAt: sourceTime(row.created_at, context) });
    count++;
  }
  context.report.count(VM_VOLUMES, count);
  checkLimit(context, VMS, [...holders.values()], COMPUTE_LIMITS.volumesPerVm, 'volumes attached to one VM');
}

/** `r_vm_nic` rows attached (state 1) to an imported VM, each NIC to one VM at most. */
async function planNics(context: ImportContext, vms: Map<string, PlannedVm>): Promise<void> {
  const rows = await context.source.select<VmNicSourceRow>(
    VM_NICS,
    ['vm_uuid', 'nic_uuid', 'state', 'created_at'],
    'created_at, vm_uuid, nic_uuid',
  );
  const holders = new Map<string, string>();
  for (const row of rows) {
    const label = { table: VM_NICS, uuid: `${row.vm_uuid}/${row.nic_uuid}` };
    if (row.state !== ATTACHED) {
      context.report.skip(VM_NICS, label.uuid, `not attached (state ${row.state})`);
      continue;
    }
    if (!context.ids.parent(context, label, 'vm', row.vm_uuid)) continue;
    const planned = vms.get(row.vm_uuid.toLowerCase());
    if (!planned) continue;
    const nicUuid = (row.nic_uuid ?? '').toLowerCase();
    if (!UUID.test(nicUuid)) {
      context.report.problem(VM_NICS, label.uuid, `nic_uuid "${row.nic_uuid}" is not a UUID`);
      continue;
    }
    const holder = holders.get(nicUuid);
    if (holder) {
      context.report.problem(VM_NICS, label.uuid, `network interface ${nicUuid} is attached to VM ${holder} too`);
      continue;
    }
    holders.set(nicUuid, planned.vm.uuid);
    planned.nics.push(nicUuid);
  }
  context.report.count(VM_NICS, holders.size);
  checkLimit(context, VMS, [...holders.values()], COMPUTE_LIMITS.nicsPerVm, 'network interfaces attached to one VM');
}

/** What each host's imported VMs claim (those not failed), with a note per host. */
function hostClaims(context: ImportContext, vms: PlannedVm[]): Map<string, { clusterUuid: string; vcpus: number; memory: number }> {
  const claims = new Map<string, { clusterUuid: string; vcpus: number; memory: number }>();
  for (const { vm } of vms) {
    const claim = claims.get(vm.hostUuid) ?? { clusterUuid: vm.clusterUuid, vcpus: 0, memory: 0 };
    if (vm.state !== VmState.Failed) {
      claim.vcpus += vm.vcpus;
      claim.memory += vm.memory;
    }
    claims.set(vm.hostUuid, claim);
  }
  for (const [host, claim] of claims) {
    context.report.notes.push(
      `t_host ${host}: its claims are what its imported VMs that are not failed claim: ${claim.vcpus} vCPUs, ${claim.memory} bytes of memory`,
    );
  }
  return claims;
}

/**
 * The order of a VM's volumes here: the root first, then by target, then by when attached.
 * Targets missing or given twice take the first free `vdX` name.
 */
export function orderAttached(volumes: AttachedVolume[], facts: Map<string, VolumeOnImport>): VmVolumeEntity[] {
  const ordered = [...volumes].sort(
    (a, b) =>
      (facts.get(b.uuid)?.root ?? 0) - (facts.get(a.uuid)?.root ?? 0) ||
      a.target.localeCompare(b.target) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.uuid.localeCompare(b.uuid),
  );
  const taken = new Set<string>();
  const targets = ordered.map((volume) => {
    if (!volume.target || taken.has(volume.target)) return '';
    taken.add(volume.target);
    return volume.target;
  });
  let next = 0;
  return ordered.map((volume, position) => {
    let target = targets[position];
    if (!target) {
      while (taken.has(diskTarget(next))) next++;
      target = diskTarget(next);
      taken.add(target);
    }
    return { vmUuid: '', volumeUuid: volume.uuid, target, position };
  });
}

async function writeVm(tx: Transaction, { vm, volumes, nics }: PlannedVm): Promise<void> {
  const facts = new Map(
    (await StoragePort.markAttachedOnImport(tx, volumes.map((volume) => volume.uuid))).map((volume) => [volume.uuid, volume]),
  );
  for (const volume of facts.values()) {
    if (volume.clusterUuid !== vm.clusterUuid) {
      throw new Error(`volume ${volume.uuid} is in cluster ${volume.clusterUuid}, the VM in cluster ${vm.clusterUuid}`);
    }
    if (volume.local && volume.hostUuid !== vm.hostUuid) {
      throw new Error(`volume ${volume.uuid} is on host ${volume.hostUuid}'s local storage, the VM on host ${vm.hostUuid}`);
    }
  }
  const attached = orderAttached(volumes, facts).map((row) => ({ ...row, vmUuid: vm.uuid }));
  const root = attached[0] && facts.get(attached[0].volumeUuid);
  const imported: VmEntity = { ...vm, imageUuid: (root?.root === 1 && root.imageUuid) || '' };
  await tx.manager.insert(VmEntity, imported);
  if (attached.length > 0) await tx.manager.insert(VmVolumeEntity, attached);
  for (const nic of nics) await NicPort.attachOnImport(tx, nic, vm.uuid);
  await tx.append({ type: VM_STREAM, id: vm.uuid }, 0, [
    new VmCreated(
      toVmWire(
        imported,
        attached.map((row) => row.volumeUuid),
      ),
    ),
  ]);
}

/**
 * Each host holding imported VMs claims what they claim: its claims (the hosts import took
 * ChimeStack's `used_*`) are set to that sum (HostPort.setClaimsOnImport), whatever its capacity.
 */
async function settleHostClaims(
  tx: Transaction,
  claims: Map<string, { clusterUuid: string; vcpus: number; memory: number }>,
): Promise<void> {
  for (const [hostUuid, claim] of claims) {
    await HostPort.setClaimsOnImport(tx.manager, hostUuid, { vcpus: claim.vcpus, memory: claim.memory });
  }
}
