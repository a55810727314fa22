import type { DomainEvent } from '@chime/event-log';
import {
  checkLimit,
  RESOURCE_COLUMNS,
  occupiedBy,
  passes,
  settleNames,
  SOURCE_STATE,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type SourceResourceRow,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { INSTANCE_SPEC_LIMITS, InstanceSpecState } from './instance-spec.contract';
import { CreateInstanceSpecDto } from './instance-spec.dto';
import { ClusterInstanceSpecEntity, INSTANCE_SPEC_STREAM, InstanceSpecEntity } from './instance-spec.entity';
import { InstanceSpecCreated, InstanceSpecRegistered } from './instance-spec.events';
import { toInstanceSpecState } from './instance-spec.view';

const SPECS = 't_instance_spec';
const RELATIONS = 'r_cluster_instance_spec';

interface SpecSourceRow extends SourceResourceRow {
  vcpus: number;
  memory: number;
  type: number;
}

interface RelationSourceRow {
  cluster_uuid: string;
  instance_spec_uuid: string;
  created_at: string | null;
}

/**
 * ChimeStack's `t_instance_spec` and `r_cluster_instance_spec` → instance specs and their
 * registrations in clusters (events of the spec's stream, as registering them through the API
 * would append). Specs here are always available: unavailable or suspended ones are skipped.
 */
export const INSTANCE_SPECS_IMPORTER: Importer = {
  name: 'instance-specs',
  after: ['clusters'],
  occupied: (manager) => occupiedBy(manager, InstanceSpecEntity, 'instance specifications'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const specs = await planSpecs(context);
    const relations = new Map<string, ClusterInstanceSpecEntity[]>(specs.map((spec) => [spec.uuid, []]));
    context.report.count(RELATIONS, 0);
    const rows = await context.source.select<RelationSourceRow>(
      RELATIONS,
      ['cluster_uuid', 'instance_spec_uuid', 'created_at'],
      'created_at, cluster_uuid, instance_spec_uuid',
    );
    for (const row of rows) {
      const label = { table: RELATIONS, uuid: `${row.cluster_uuid}/${row.instance_spec_uuid}` };
      if (!context.ids.parent(context, label, 'cluster', row.cluster_uuid)) continue;
      if (!context.ids.parent(context, label, 'instance_spec', row.instance_spec_uuid)) continue;
      const relation: ClusterInstanceSpecEntity = {
        clusterUuid: row.cluster_uuid.toLowerCase(),
        instanceSpecUuid: row.instance_spec_uuid.toLowerCase(),
        createdAt: sourceTime(row.created_at, context),
      };
      relations.get(relation.instanceSpecUuid)!.push(relation);
      context.report.count(RELATIONS);
    }
    const registered = [...relations.values()].flat().map((relation) => relation.clusterUuid);
    checkLimit(context, 't_cluster', registered, INSTANCE_SPEC_LIMITS.specsPerCluster, 'instance specifications in one cluster');
    return writeEach(SPECS, specs, async (tx, spec) => {
      const registered = relations.get(spec.uuid)!;
      await tx.manager.insert(InstanceSpecEntity, { ...spec, clusterCount: registered.length, version: 1 + registered.length });
      if (registered.length > 0) await tx.manager.insert(ClusterInstanceSpecEntity, registered);
      const events: DomainEvent[] = [
        new InstanceSpecCreated(toInstanceSpecState(spec)),
        ...registered.map(
          (relation) =>
            new InstanceSpecRegistered({
              uuid: spec.uuid,
              cluster_uuid: relation.clusterUuid,
              created_at: relation.createdAt.toISOString(),
            }),
        ),
      ];
      await tx.append({ type: INSTANCE_SPEC_STREAM, id: spec.uuid }, 0, events);
    });
  },
};

async function planSpecs(context: ImportContext): Promise<InstanceSpecEntity[]> {
  const rows = await context.source.select<SpecSourceRow>(SPECS, [...RESOURCE_COLUMNS, 'vcpus', 'memory', 'type']);
  const live = rows.flatMap((row) => {
    const uuid = sourceUuid(context, SPECS, row.uuid);
    if (!uuid) return [];
    if (row.state !== SOURCE_STATE.available) {
      const why =
        row.state === SOURCE_STATE.deleted
          ? 'deleted in ChimeStack (state 4)'
          : `not available in ChimeStack (state ${row.state}); specs here have no disabled state`;
      context.report.skip(SPECS, uuid, why);
      context.ids.skipped('instance_spec', uuid);
      return [];
    }
    return [{ row, uuid, createdAt: sourceTime(row.created_at, context) }];
  });
  const names = settleNames(
    context,
    SPECS,
    live.map(({ row, uuid, createdAt }) => ({ uuid, name: row.name, createdAt })),
  );
  const specs: InstanceSpecEntity[] = [];
  for (const { row, uuid, createdAt } of live) {
    const spec: InstanceSpecEntity = {
      uuid,
      name: names.get(uuid)!,
      description: row.description ?? '',
      vcpus: Number(row.vcpus),
      memory: Number(row.memory),
      type: row.type,
      state: InstanceSpecState.Available,
      clusterCount: 0,
      version: 1,
      createdAt,
    };
    if (
      !passes(context, SPECS, uuid, CreateInstanceSpecDto, {
        name: spec.name,
        description: spec.description,
        vcpus: spec.vcpus,
        memory: spec.memory,
        type: spec.type,
      })
    )
      continue;
    specs.push(spec);
    context.ids.add('instance_spec', uuid);
  }
  context.report.count(SPECS, specs.length);
  return specs;
}
