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
import { CreateAzDto } from './az.dto';
import { AZ_STREAM, AzEntity } from './az.entity';
import { AzCreated } from './az.events';
import { toAzView } from './az.view';

const TABLE = 't_az';

interface AzSourceRow extends SourceResourceRow {
  parent_uuid: string | null;
}

/** ChimeStack's `t_az` → availability zones (ids kept; state 4 skipped; NULL description → ""). */
export const ZONES_IMPORTER: Importer = {
  name: 'zones',
  occupied: (manager) => occupiedBy(manager, AzEntity, 'availability zones'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const rows = await context.source.select<AzSourceRow>(TABLE, [...RESOURCE_COLUMNS, 'parent_uuid']);
    const zones: AzEntity[] = [];
    const live = rows.flatMap((row) => {
      const uuid = sourceUuid(context, TABLE, row.uuid);
      if (!uuid) return [];
      const state = sourceEnabled(context, { table: TABLE, uuid, kind: 'az' }, row.state);
      return state === undefined ? [] : [{ row, uuid, state, createdAt: sourceTime(row.created_at, context) }];
    });
    const names = settleNames(
      context,
      TABLE,
      live.map(({ uuid, row, createdAt }) => ({ uuid, name: row.name, createdAt })),
    );
    for (const { row, uuid, state, createdAt } of live) {
      const az: AzEntity = {
        uuid,
        name: names.get(uuid)!,
        description: row.description ?? '',
        parent: row.parent_uuid ?? '',
        state,
        version: 1,
        createdAt,
      };
      if (!passes(context, TABLE, uuid, CreateAzDto, { name: az.name, description: az.description, parent: az.parent })) continue;
      zones.push(az);
      context.ids.add('az', uuid);
    }
    checkLimit(
      context,
      TABLE,
      zones.map(() => '*'),
      LIMITS.availabilityZones,
      'availability zones',
    );
    context.report.count(TABLE, zones.length);
    return writeEach(TABLE, zones, async (tx, az) => {
      await tx.manager.insert(AzEntity, az);
      await tx.append({ type: AZ_STREAM, id: az.uuid }, 0, [new AzCreated(toAzView(az))]);
    });
  },
};
