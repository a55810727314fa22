import type { EntityManager } from 'typeorm';
import { describeForeignKey, describeUniqueConstraint } from '../../platform/database/database-errors';
import { NotFoundError } from '../../platform/errors/domain-error';
import { InstanceSpecEntity } from './instance-spec.entity';

describeUniqueConstraint('instance_specs_name_key', 'an instance specification with this name already exists');
describeUniqueConstraint('cluster_instance_specs_pkey', 'the instance specification is already registered in this cluster');
describeForeignKey(
  'cluster_instance_specs_spec_fkey',
  'the instance specification is still registered in clusters; unregister it from them first',
);

/** Loads a spec and locks its row; null when there is none. */
export function lockInstanceSpecIfPresent(manager: EntityManager, uuid: string): Promise<InstanceSpecEntity | null> {
  return manager.findOne(InstanceSpecEntity, { where: { uuid }, lock: { mode: 'pessimistic_write' } });
}

/** Loads a spec and locks its row; 404 when there is none. */
export async function lockInstanceSpec(manager: EntityManager, uuid: string): Promise<InstanceSpecEntity> {
  const spec = await lockInstanceSpecIfPresent(manager, uuid);
  if (!spec) throw NotFoundError.of('instance specification', uuid);
  return spec;
}

export async function findInstanceSpec(manager: EntityManager, uuid: string): Promise<InstanceSpecEntity> {
  const spec = await manager.findOne(InstanceSpecEntity, { where: { uuid } });
  if (!spec) throw NotFoundError.of('instance specification', uuid);
  return spec;
}
