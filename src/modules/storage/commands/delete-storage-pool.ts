import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import { STORAGE_POOL_STREAM } from '../storage.entity';
import { StoragePoolDeleted } from '../storage.events';
import { findPool, POOL_ROWS, SPEC_ROWS, type PoolPath } from '../storage.store';

export class DeleteStoragePoolCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly path: PoolPath,
  ) {
    super();
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Deletes a pool that holds no volume and backs no volume spec (400 FAILED_PRECONDITION naming how
 * many). The pool's row lock makes volume claims wait; the foreign keys back the rule up.
 */
@CommandHandler(DeleteStoragePoolCommand)
export class DeleteStoragePoolHandler implements ICommandHandler<DeleteStoragePoolCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path }: DeleteStoragePoolCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const pool = await findPool(tx.manager, path, true);
      if (pool.volumeCount > 0) {
        throw new FailedPreconditionError(
          `storage pool ${pool.uuid} still holds ${plural(pool.volumeCount, 'volume')}; delete them first`,
        );
      }
      const specs = await SPEC_ROWS.count(tx.manager, { storagePoolUuid: pool.uuid });
      if (specs > 0) {
        throw new FailedPreconditionError(
          `storage pool ${pool.uuid} still backs ${plural(specs, 'volume specification')}; delete them first`,
        );
      }
      await POOL_ROWS.delete(tx.manager, { uuid: pool.uuid });
      await tx.append({ type: STORAGE_POOL_STREAM, id: pool.uuid }, pool.version, [new StoragePoolDeleted({ uuid: pool.uuid })]);
    });
    return 1;
  }
}
