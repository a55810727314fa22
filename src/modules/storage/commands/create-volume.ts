import { createHash, randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { State } from '@chime/contracts';
import type { EntityManager } from 'typeorm';
import { Ownership } from '../../../platform/domain/ownership';
import { FailedPreconditionError, NotFoundError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ClusterPort } from '../../clusters/cluster.port';
import { HostPort, type HostSummary } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { VolumeState, type CreateVolumeRequest, type VolumeView } from '../storage.contract';
import { toVolumeView } from '../storage.view';
import { VolumeFactory, volumePayload } from '../volume-factory';

export class CreateVolumeCommand extends Command<VolumeView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly request: CreateVolumeRequest,
  ) {
    super();
  }
}

/**
 * createVolume, in one transaction: the spec must be registered in the (enabled) cluster; the image,
 * if any, available and visible to the caller; the host, given or chosen, enabled and reachable; the
 * volume (state 0, `Creating#<request id>`) and a `volume/create` task for the host's agent; last,
 * its size claimed from the spec's pool. The task's outcome (storage-task-outcomes.ts) makes it
 * available, or failed with its claim released. Any refusal leaves nothing behind.
 */
@CommandHandler(CreateVolumeCommand)
export class CreateVolumeHandler implements ICommandHandler<CreateVolumeCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
    private readonly hosts: HostPort,
    private readonly volumes: VolumeFactory,
    private readonly tasks: TaskPort,
  ) {}

  execute({ origin, actor, azUuid, clusterUuid, request }: CreateVolumeCommand): Promise<VolumeView> {
    Ownership.assertMayCreate(actor);
    return this.uow.run(origin, async (tx) => {
      const cluster = await this.clusters.get(azUuid, clusterUuid, tx.manager);
      if (cluster.state !== State.Enabled) {
        throw new FailedPreconditionError(`cluster ${clusterUuid} is disabled and accepts nothing new`);
      }
      const planned = await this.volumes.plan(tx.manager, actor, clusterUuid, request);
      const uuid = randomUUID();
      const host = request.host_uuid
        ? await this.hosts.forWork(tx.manager, clusterUuid, request.host_uuid)
        : await this.chooseHost(tx.manager, clusterUuid, planned.pool.uuid, uuid);
      await this.volumes.assertRoom(tx.manager, [planned]);
      const volume = await this.volumes.insert(tx, { uuid, actor, azUuid, clusterUuid, host, planned });
      await this.tasks.create(tx, {
        clientUuid: host.uuid,
        resourceType: 'volume',
        resourceUuid: uuid,
        operation: 'create',
        description: `create-volume-${uuid}`,
        payload: volumePayload(volume, planned),
      });
      // The claim comes last, so the pool's row stays locked (claims on it take turns) only from here
      // to the commit. It decides: if it does not fit now, everything above rolls back.
      await this.volumes.claim(tx.manager, planned);
      return toVolumeView(
        { ...volume, storagePoolName: planned.pool.name, specName: planned.spec.name },
        { hostName: host.name, hostIp: host.manage_ip, imageName: planned.image?.name ?? '' },
      );
    });
  }

  /**
   * The host a volume goes to when the request names none: of the cluster's hosts that take work,
   * the one whose volumes in this pool claim the fewest bytes (spread; ties broken by the volume's
   * uuid, so concurrent creations do not all pick the same one).
   */
  private async chooseHost(
    manager: EntityManager,
    clusterUuid: string,
    poolUuid: string,
    volumeUuid: string,
  ): Promise<HostSummary> {
    const candidates = await this.hosts.takingWork(manager, clusterUuid);
    if (candidates.length === 0) {
      throw new FailedPreconditionError(`no enabled, reachable host in cluster ${clusterUuid} to put the volume on`);
    }
    const usage: { host_uuid: string; used: string }[] = await manager.query(
      `SELECT host_uuid, sum(size) AS used FROM volumes WHERE storage_pool_uuid = $1 AND state <> ${VolumeState.Failed} GROUP BY host_uuid`,
      [poolUuid],
    );
    const used = new Map(usage.map((row) => [row.host_uuid, Number(row.used)]));
    const least = Math.min(...candidates.map((host) => used.get(host.uuid) ?? 0));
    const tied = candidates.filter((host) => (used.get(host.uuid) ?? 0) === least);
    const pick = createHash('sha256').update(volumeUuid).digest().readUInt32BE(0) % tied.length;
    const host = tied[pick];
    if (!host) throw new NotFoundError(`no host in cluster ${clusterUuid}`);
    return host;
  }
}
