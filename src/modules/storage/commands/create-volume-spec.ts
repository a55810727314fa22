import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { VolumeSpecState, type CreateVolumeSpecRequest, type VolumeSpecView } from '../storage.contract';
import { VOLUME_SPEC_STREAM, VolumeSpecEntity } from '../storage.entity';
import { VolumeSpecCreated } from '../storage.events';
import { checkSpecBounds } from '../registrations';
import { SPEC_ROWS } from '../storage.store';
import { toVolumeSpecState, toVolumeSpecView } from '../storage.view';
import { NotFoundError } from '../../../platform/errors/domain-error';

export class CreateVolumeSpecCommand extends Command<VolumeSpecView> {
  constructor(
    readonly origin: Origin,
    readonly request: CreateVolumeSpecRequest,
  ) {
    super();
  }
}

/** A spec of an existing pool; names are unique regardless of case; it starts in no cluster. */
@CommandHandler(CreateVolumeSpecCommand)
export class CreateVolumeSpecHandler implements ICommandHandler<CreateVolumeSpecCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ origin, request }: CreateVolumeSpecCommand): Promise<VolumeSpecView> {
    return this.uow.run(origin, async (tx) => {
      checkSpecBounds(request);
      // Read with a share lock: the pool cannot be deleted before this commits.
      const [pool] = await tx.manager.query('SELECT name FROM storage_pools WHERE uuid = $1 FOR SHARE', [
        request.storage_pool_uuid,
      ]);
      if (!pool) throw NotFoundError.of('storage pool', request.storage_pool_uuid);
      const spec: VolumeSpecEntity = {
        uuid: randomUUID(),
        name: request.name,
        description: request.description ?? '',
        storagePoolUuid: request.storage_pool_uuid,
        state: VolumeSpecState.Available,
        minIops: request.min_iops,
        maxIops: request.max_iops,
        stepIops: request.step_iops,
        minThroughput: request.min_throughput,
        maxThroughput: request.max_throughput,
        stepThroughput: request.step_throughput,
        clusterCount: 0,
        version: 1,
        createdAt: new Date(),
      };
      await SPEC_ROWS.insert(tx.manager, spec);
      await tx.append({ type: VOLUME_SPEC_STREAM, id: spec.uuid }, 0, [new VolumeSpecCreated(toVolumeSpecState(spec))]);
      return toVolumeSpecView(spec, (pool as { name: string }).name);
    });
  }
}
