import type { EntityManager } from 'typeorm';
import { describeUniqueConstraint } from '../../platform/database/database-errors';
import { EntityRows } from '../../platform/database/entity-rows';
import { NotFoundError } from '../../platform/errors/domain-error';
import { AzEntity } from './az.entity';

describeUniqueConstraint('availability_zones_name_key', 'an availability zone with this name already exists');

export const AZ_ROWS = new EntityRows(AzEntity);

/** Loads an AZ and locks its row for the rest of the transaction; 404 when there is none. */
export async function lockAz(manager: EntityManager, uuid: string): Promise<AzEntity> {
  const az = await AZ_ROWS.findOne(manager, { uuid }, { lock: true });
  if (!az) throw NotFoundError.of('availability zone', uuid);
  return az;
}

export async function findAz(manager: EntityManager, uuid: string): Promise<AzEntity> {
  const az = await AZ_ROWS.findOne(manager, { uuid });
  if (!az) throw NotFoundError.of('availability zone', uuid);
  return az;
}
