import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import { FailedPreconditionError, NotFoundError } from '../../../platform/errors/domain-error';
import type { UpdateVolumeSpecRequest } from '../storage.contract';
import { VOLUME_SPEC_STREAM, VolumeSpecEntity } from '../storage.entity';
import { VolumeSpecUpdated, type VolumeSpecState } from '../storage.events';
import { checkSpecBounds } from '../registrations';
import { findSpec, VOLUME_TABLE_ROWS } from '../storage.store';
import { toVolumeSpecState } from '../storage.view';

export class UpdateVolumeSpecCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
    readonly request: UpdateVolumeSpecRequest,
  ) {
    super();
  }
}

/**
 * Changes a spec. New bounds apply to volumes created from then on. Its pool changes only while no
 * cluster has it registered and no volume was made with it (a registration needs the pool in the cluster).
 */
@CommandHandler(UpdateVolumeSpecCommand)
export class UpdateVolumeSpecHandler implements ICommandHandler<UpdateVolumeSpecCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid, request }: UpdateVolumeSpecCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const spec = await findSpec(tx.manager, uuid, true);
      const current = toVolumeSpecState(spec);
      const changes: Partial<VolumeSpecState> = changedFields<VolumeSpecState>(current, request);
      checkSpecBounds({ ...current, ...changes });
      if (changes.storage_pool_uuid !== undefined) {
        if (spec.clusterCount > 0 || (await VOLUME_TABLE_ROWS.count(tx.manager, { volumeSpecUuid: uuid })) > 0) {
          throw new FailedPreconditionError(
            `volume specification ${uuid} is registered in clusters or has volumes: its storage pool cannot change`,
          );
        }
        const [pool] = await tx.manager.query('SELECT 1 FROM storage_pools WHERE uuid = $1 FOR SHARE', [
          changes.storage_pool_uuid,
        ]);
        if (!pool) throw NotFoundError.of('storage pool', changes.storage_pool_uuid);
      }
      await tx.manager.update(
        VolumeSpecEntity,
        { uuid },
        {
          name: changes.name,
          description: changes.description,
          storagePoolUuid: changes.storage_pool_uuid,
          minIops: changes.min_iops,
          maxIops: changes.max_iops,
          stepIops: changes.step_iops,
          minThroughput: changes.min_throughput,
          maxThroughput: changes.max_throughput,
          stepThroughput: changes.step_throughput,
          version: spec.version + 1,
        },
      );
      await tx.append({ type: VOLUME_SPEC_STREAM, id: uuid }, spec.version, [new VolumeSpecUpdated({ uuid, changes })]);
    });
    return 'ok';
  }
}
