import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { capacity } from '../../../platform/domain/capacity';
import { InvalidArgumentError, LimitExceededError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import {
  STORAGE_LIMITS,
  StoragePoolState,
  StoragePoolType,
  type CreateStoragePoolRequest,
  type StoragePoolView,
} from '../storage.contract';
import { DEFAULT_POOL_META } from '../storage.dto';
import { STORAGE_POOL_STREAM, StoragePoolEntity } from '../storage.entity';
import { StoragePoolCreated } from '../storage.events';
import { POOL_ROWS } from '../storage.store';
import { toStoragePoolState, toStoragePoolView } from '../storage.view';

export class CreateStoragePoolCommand extends Command<StoragePoolView> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly request: CreateStoragePoolRequest,
  ) {
    super();
  }
}

/** The reservation a pool can honour: no more than its physical size. */
export function checkReservation(physical: number, reserved: number): void {
  if (reserved > physical) {
    throw new InvalidArgumentError(`reserved_size ${reserved} is more than the pool's physical_size ${physical}`);
  }
}

/**
 * Adds a pool to an enabled cluster. The cluster stays locked until the commit
 * (ClusterPort.lockForAddition), so at most 16 pools hold under any concurrency and the cluster
 * cannot be deleted meanwhile. Names are unique in the cluster regardless of case.
 */
@CommandHandler(CreateStoragePoolCommand)
export class CreateStoragePoolHandler implements ICommandHandler<CreateStoragePoolCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  execute({ origin, azUuid, clusterUuid, request }: CreateStoragePoolCommand): Promise<StoragePoolView> {
    return this.uow.run(origin, async (tx) => {
      const cluster = await this.clusters.lockForAddition(tx.manager, azUuid, clusterUuid);
      const physicalSize = request.physical_size;
      const reservedSize = request.reserved_size ?? 0;
      const sizeRatio = request.size_ratio ?? 1;
      checkReservation(physicalSize, reservedSize);
      const pool: StoragePoolEntity = {
        uuid: randomUUID(),
        azUuid,
        clusterUuid,
        name: request.name,
        description: request.description ?? '',
        type: request.type ?? StoragePoolType.Local,
        state: StoragePoolState.Available,
        meta: request.meta ?? DEFAULT_POOL_META,
        physicalSize,
        sizeRatio,
        reservedSize,
        totalSize: capacity(physicalSize, sizeRatio, reservedSize),
        usedSize: 0,
        volumeCount: 0,
        version: 1,
        createdAt: new Date(),
      };
      if (!(await POOL_ROWS.insertWithin(tx.manager, pool, { clusterUuid }, STORAGE_LIMITS.poolsPerCluster))) {
        throw new LimitExceededError(`at most ${STORAGE_LIMITS.poolsPerCluster} storage pools in one cluster`);
      }
      await tx.append({ type: STORAGE_POOL_STREAM, id: pool.uuid }, 0, [new StoragePoolCreated(toStoragePoolState(pool))]);
      return toStoragePoolView(pool, cluster.name);
    });
  }
}
