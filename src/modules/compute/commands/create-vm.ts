import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Transaction, type Origin } from '@chime/event-log';
import { Role, State } from '@chime/contracts';
import { started } from '../../../platform/domain/operations';
import { Ownership } from '../../../platform/domain/ownership';
import { FailedPreconditionError, InvalidArgumentError, PermissionDeniedError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ClusterPort } from '../../clusters/cluster.port';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { ImagePort, type ImageForVolume } from '../../images/image.port';
import { InstanceSpecPort } from '../../instance-specs/instance-spec.port';
import { NicPort } from '../../networks/nic.port';
import { SchedulerPort } from '../../scheduler/scheduler.port';
import { StoragePort, type CreateVolumeRequest } from '../../storage/storage.port';
import { VmState, type CreateVmRequest, type VmView } from '../compute.contract';
import { VmCreated } from '../compute.events';
import { VM_STREAM, VmEntity, VmVolumeEntity } from '../vm.entity';
import { hostsBeingEmptied, VM_ROWS } from '../vm.store';
import { toVmView, toVmWire } from '../vm.view';
import { diskTarget } from '../vm-devices';

export class CreateVmCommand extends Command<VmView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly request: CreateVmRequest,
  ) {
    super();
  }
}

/** A concurrent placement took the room on the chosen host between reading and claiming it. */
class ClaimLost extends Error {
  constructor(readonly hostUuid: string) {
    super(`host ${hostUuid} was taken meanwhile`);
  }
}

/**
 * How many times a creation looks again when concurrent ones took the room it saw. Each lost claim
 * means a host filled up (committed claims are what the next look sees), so this bounds nothing
 * but pathological churn.
 */
const ATTEMPTS = 32;

/**
 * The volumes as asked, the root first: at most one says `root: 1`; without one, the first is the
 * root — unless the VM boots from its cdrom. A root volume is made from an image.
 */
export function orderVolumes(volumes: CreateVolumeRequest[], bootsFromCdrom: boolean): CreateVolumeRequest[] {
  const roots = volumes.filter((volume) => volume.root === 1);
  if (roots.length > 1) throw new InvalidArgumentError('volumes: at most one volume is the root (root: 1)');
  if (volumes.length === 0 && !bootsFromCdrom) {
    throw new InvalidArgumentError('volumes: a VM needs a root volume made from an image, or a bootable cdrom');
  }
  const root = roots[0] ?? (bootsFromCdrom ? undefined : volumes[0]);
  if (root && !root.image_uuid) throw new InvalidArgumentError('volumes: the root volume needs an image_uuid to be made from');
  const ordered = root ? [{ ...root, root: 1 as const }, ...volumes.filter((volume) => volume !== root)] : volumes;
  return ordered.map((volume, i) => (i > 0 || !root ? { ...volume, root: 0 as const } : volume));
}

/**
 * createVm, as one unit: the cluster enabled; the instance spec and the volumes' specs registered in
 * it; images usable; the scheduler's best host; then, in one transaction, the VM (state 0,
 * `Creating#<request id>`), its volumes on that host, its NICs (addresses allocated), the
 * `vm/create` task for the host's agent, and — last — the pools' and the host's claims. If a
 * concurrent creation took the room meanwhile, everything rolls back and the scheduler looks again
 * (it sees that host's claims now);
 * any refusal leaves nothing claimed. The task's outcome (compute-task-outcomes.ts) makes it
 * running, or failed with everything given back.
 */
@CommandHandler(CreateVmCommand)
export class CreateVmHandler implements ICommandHandler<CreateVmCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
    private readonly specs: InstanceSpecPort,
    private readonly scheduler: SchedulerPort,
    private readonly hosts: HostPort,
    private readonly storage: StoragePort,
    private readonly nics: NicPort,
    private readonly images: ImagePort,
    private readonly tasks: TaskPort,
  ) {}

  async execute({ origin, actor, request }: CreateVmCommand): Promise<VmView> {
    Ownership.assertMayCreate(actor);
    if (request.host_uuid && actor.role < Role.Admin) {
      throw new PermissionDeniedError('only administrators put a VM on a host of their choice (host_uuid)');
    }
    const volumes = orderVolumes(request.volumes, request.cdrom?.bootable === 1);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uow.run(origin, (tx) => this.create(tx, actor, request, volumes));
      } catch (error) {
        if (!(error instanceof ClaimLost)) throw error;
        if (attempt === ATTEMPTS) {
          throw new FailedPreconditionError(
            `no host in cluster ${request.cluster_uuid} could take the VM: concurrent creations took the room ${ATTEMPTS} times; try again`,
          );
        }
      }
    }
  }

  private async create(
    tx: Transaction,
    actor: Actor,
    request: CreateVmRequest,
    volumeRequests: CreateVolumeRequest[],
  ): Promise<VmView> {
    const cluster = await this.clusters.get(request.az_uuid, request.cluster_uuid, tx.manager);
    if (cluster.state !== State.Enabled) {
      throw new FailedPreconditionError(`cluster ${request.cluster_uuid} is disabled and accepts nothing new`);
    }
    const spec = await this.specs.forVm(tx.manager, request.instance_spec_uuid, request.cluster_uuid);
    const planned = await this.storage.plan(tx.manager, actor, request.cluster_uuid, volumeRequests);
    const cdrom: ImageForVolume | undefined = request.cdrom
      ? await this.images.forVolume(tx.manager, request.cdrom.image_uuid, actor)
      : undefined;
    const uuid = randomUUID();
    const [host] = await this.scheduler.candidates(tx.manager, {
      vmUuid: uuid,
      clusterUuid: request.cluster_uuid,
      vcpus: spec.vcpus,
      memory: spec.memory,
      hostUuid: request.host_uuid,
      excluded: new Set(await hostsBeingEmptied(tx.manager, request.cluster_uuid)),
    });
    const now = new Date();
    const root = planned.find((volume) => volume.request.root === 1);
    const vm: VmEntity = {
      uuid,
      name: request.name,
      description: request.description ?? '',
      userUuid: actor.uuid,
      azUuid: request.az_uuid,
      clusterUuid: request.cluster_uuid,
      hostUuid: host.uuid,
      lastHostUuid: '',
      instanceSpecUuid: spec.uuid,
      imageUuid: root?.image?.uuid ?? (request.cdrom?.bootable === 1 ? (cdrom?.uuid ?? '') : ''),
      vcpus: spec.vcpus,
      memory: spec.memory,
      state: VmState.Unavailable,
      bootType: 'bios',
      hyperType: 'kvm',
      osType: '',
      osArch: '',
      osDetail: '',
      vncPort: 0,
      ...started('create', tx.metadata.request_id, now),
      version: 1,
      createdAt: now,
    };
    await VM_ROWS.insert(tx.manager, vm);
    const place = { vmUuid: uuid, azUuid: request.az_uuid, clusterUuid: request.cluster_uuid, host };
    const volumes = await this.storage.createForVm(tx, actor, place, planned);
    await tx.manager.insert(
      VmVolumeEntity,
      volumes.map((volume, position) => ({ vmUuid: uuid, volumeUuid: volume.uuid, target: diskTarget(position), position })),
    );
    const nicRequests = request.nics.map((nic, i) => ({
      ...nic,
      primary: request.nics.some((other) => other.primary === 1) ? (nic.primary ?? 0) : i === 0 ? (1 as const) : (0 as const),
    }));
    const nics = await this.nics.createForVm(tx, actor, request.cluster_uuid, uuid, nicRequests);
    await tx.append({ type: VM_STREAM, id: uuid }, 0, [
      new VmCreated(
        toVmWire(
          vm,
          volumes.map((volume) => volume.uuid),
        ),
      ),
    ]);
    const task = await this.tasks.create(tx, {
      clientUuid: host.uuid,
      resourceType: 'vm',
      resourceUuid: uuid,
      operation: 'create',
      description: `create-vm-${uuid}`,
      payload: {
        name: vm.name,
        vcpus: vm.vcpus,
        memory: vm.memory,
        boot_type: vm.bootType,
        volumes: volumes.map((volume, position) => ({ ...volume, target: diskTarget(position) })),
        nics: await this.nics.forAgent(tx.manager, uuid),
        cdrom: cdrom
          ? {
              image: { uuid: cdrom.uuid, install_url: cdrom.install_url, format: cdrom.format, size: cdrom.size },
              bootable: request.cdrom?.bootable ?? 0,
            }
          : null,
      },
      secrets: {
        ...(request.password ? { password: request.password } : {}),
        ...(request.vnc_password ? { vnc_password: request.vnc_password } : {}),
      },
    });
    // The claims come last, pools then the host: their rows stay locked (claims on them take turns)
    // only from here to the commit. A pool that does not fit is a 400 naming it; a host claim lost to
    // a concurrent creation rolls everything back and the scheduler looks again.
    await this.storage.claimForVm(tx, planned);
    if (!(await this.hosts.claim(tx.manager, host.uuid, { vcpus: vm.vcpus, memory: vm.memory }))) throw new ClaimLost(host.uuid);
    return toVmView(vm, {
      hostName: host.name,
      hostIp: host.manage_ip,
      imageName: root?.image?.name ?? '',
      nics,
      volumes: await this.storage.viewsOf(
        tx.manager,
        volumes.map((volume) => volume.uuid),
      ),
      tasks: [task],
    });
  }
}
