import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FailedPreconditionError, NotFoundError } from '../../platform/errors/domain-error';

/** What a VM takes of its instance specification. */
export interface InstanceSpecForVm {
  uuid: string;
  name: string;
  vcpus: number;
  memory: number;
}

/**
 * What other modules (compute) may know of instance specifications: the instance-specs module's
 * export for that purpose.
 */
@Injectable()
export class InstanceSpecPort {
  /**
   * The spec a VM of `clusterUuid` is made of: 404 when there is no such spec, 400
   * FAILED_PRECONDITION when it is not registered in the cluster. One round trip.
   */
  async forVm(manager: EntityManager, specUuid: string, clusterUuid: string): Promise<InstanceSpecForVm> {
    const [row]: { uuid: string; name: string; vcpus: number; memory: string; registered: boolean }[] = await manager.query(
      `SELECT s.uuid, s.name, s.vcpus, s.memory,
              EXISTS (SELECT 1 FROM cluster_instance_specs r WHERE r.cluster_uuid = $2 AND r.instance_spec_uuid = s.uuid) AS registered
         FROM instance_specs s WHERE s.uuid = $1`,
      [specUuid, clusterUuid],
    );
    if (!row) throw NotFoundError.of('instance specification', specUuid);
    if (!row.registered) {
      throw new FailedPreconditionError(`instance specification ${specUuid} is not registered in cluster ${clusterUuid}`);
    }
    return { uuid: row.uuid, name: row.name, vcpus: row.vcpus, memory: Number(row.memory) };
  }
}
