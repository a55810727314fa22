import { LIMITS } from '@chime/contracts';
import {
  checkLimit,
  RESOURCE_COLUMNS,
  settleNames,
  sourceEnabled,
  sourceTime,
  sourceUuid,
  occupiedBy,
  passes,
  writeEach,
  type ImportContext,
  type SourceResourceRow,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { CreateClusterDto } from './cluster.dto';
import { CLUSTER_STREAM, ClusterEntity } from './cluster.entity';
import { ClusterCreated } from './cluster.events';
import { toClusterState } from './cluster.view';

const TABLE = 't_cluster';

interface ClusterSourceRow extends SourceResourceRow {
  az_uuid: string;
  type: number;
  hypervisor_type: string;
  arch: string;
}

/**
 * ChimeStack's `t_cluster` → clusters, after the zones. Names, not unique within an AZ there, are
 * made unique here (`name`, `name-2`, … in the order created_at, uuid); clusters of a deleted AZ
 * are skipped like the AZ.
 */
export const CLUSTERS_IMPORTER: Importer = {
  name: 'clusters',
  after: ['zones'],
  occupied: (manager) => occupiedBy(manager, ClusterEntity, 'clusters'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const rows = await context.source.select<ClusterSourceRow>(TABLE, [
      ...RESOURCE_COLUMNS,
      'az_uuid',
      'type',
      'hypervisor_type',
      'arch',
    ]);
    const live = rows.flatMap((row) => {
      const uuid = sourceUuid(context, TABLE, row.uuid);
      if (!uuid) return [];
      const state = sourceEnabled(context, { table: TABLE, uuid, kind: 'cluster' }, row.state);
      if (state === undefined) return [];
      if (!context.ids.parent(context, { table: TABLE, uuid, kind: 'cluster' }, 'az', row.az_uuid)) return [];
      return [{ row, uuid, state, azUuid: row.az_uuid.toLowerCase(), createdAt: sourceTime(row.created_at, context) }];
    });
    const names = settleNames(
      context,
      TABLE,
      live.map(({ uuid, row, azUuid, createdAt }) => ({ uuid, name: row.name, azUuid, createdAt })),
      (cluster) => cluster.azUuid,
    );
    const clusters: ClusterEntity[] = [];
    for (const { row, uuid, state, azUuid, createdAt } of live) {
      const cluster: ClusterEntity = {
        uuid,
        azUuid,
        name: names.get(uuid)!,
        description: row.description ?? '',
        arch: row.arch,
        hypervisorType: row.hypervisor_type,
        type: row.type,
        state,
        version: 1,
        createdAt,
      };
      if (
        !passes(context, TABLE, uuid, CreateClusterDto, {
          name: cluster.name,
          description: cluster.description,
          arch: cluster.arch,
          hypervisor_type: cluster.hypervisorType,
          type: cluster.type,
        })
      )
        continue;
      clusters.push(cluster);
      context.ids.add('cluster', uuid, { az_uuid: azUuid });
    }
    checkLimit(
      context,
      't_az',
      clusters.map((cluster) => cluster.azUuid),
      LIMITS.clustersPerAz,
      'clusters in one AZ',
    );
    context.report.count(TABLE, clusters.length);
    return writeEach(TABLE, clusters, async (tx, cluster) => {
      await tx.manager.insert(ClusterEntity, cluster);
      await tx.append({ type: CLUSTER_STREAM, id: cluster.uuid }, 0, [new ClusterCreated(toClusterState(cluster))]);
    });
  },
};
