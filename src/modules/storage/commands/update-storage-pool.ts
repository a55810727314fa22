import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { capacity } from '../../../platform/domain/capacity';
import { changedFields } from '../../../platform/domain/changes';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import { bytes } from '../../../platform/domain/operations';
import type { UpdateStoragePoolRequest } from '../storage.contract';
import { STORAGE_POOL_STREAM, StoragePoolEntity } from '../storage.entity';
import { StoragePoolUpdated, type StoragePoolState } from '../storage.events';
import { findPool, type PoolPath } from '../storage.store';
import { toStoragePoolState } from '../storage.view';
import { checkReservation } from './create-storage-pool';

export class UpdateStoragePoolCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly path: PoolPath,
    readonly request: UpdateStoragePoolRequest,
  ) {
    super();
  }
}

/**
 * Changes a pool's name, description, meta, sizes, ratio or type. Under the pool's row lock (the
 * one volume claims take), so its new total is never below what its volumes claim; its type
 * changes only while it holds no volume.
 */
@CommandHandler(UpdateStoragePoolCommand)
export class UpdateStoragePoolHandler implements ICommandHandler<UpdateStoragePoolCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path, request }: UpdateStoragePoolCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const pool = await findPool(tx.manager, path, true);
      const current = toStoragePoolState(pool);
      const changes: Partial<StoragePoolState> = changedFields<StoragePoolState>(current, request);
      const next = { ...current, ...changes };
      checkReservation(next.physical_size, next.reserved_size);
      if (changes.type !== undefined && pool.volumeCount > 0) {
        throw new FailedPreconditionError(`storage pool ${pool.uuid} holds volumes: its type cannot change`);
      }
      const totalSize = capacity(next.physical_size, next.size_ratio, next.reserved_size);
      if (totalSize < pool.usedSize) {
        throw new FailedPreconditionError(
          `storage pool ${pool.uuid} would offer ${bytes(totalSize)}, less than its volumes claim: ${bytes(pool.usedSize)}`,
        );
      }
      if (totalSize !== pool.totalSize) changes.total_size = totalSize;
      await tx.manager.update(
        StoragePoolEntity,
        { uuid: pool.uuid },
        {
          name: changes.name,
          description: changes.description,
          meta: changes.meta,
          type: changes.type,
          physicalSize: changes.physical_size,
          sizeRatio: changes.size_ratio,
          reservedSize: changes.reserved_size,
          totalSize: changes.total_size,
          version: pool.version + 1,
        },
      );
      await tx.append({ type: STORAGE_POOL_STREAM, id: pool.uuid }, pool.version, [
        new StoragePoolUpdated({ uuid: pool.uuid, changes }),
      ]);
    });
    return 'ok';
  }
}
