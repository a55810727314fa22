import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import { describeApiTag } from '../../platform/http/openapi';
import type { Actor } from '../../platform/http/request-context';
import { UuidParam } from '../../platform/http/validation';
import { CreateSnapshotCommand } from './commands/create-snapshot';
import { CreateVolumeCommand } from './commands/create-volume';
import { DeleteSnapshotCommand } from './commands/delete-snapshot';
import { DeleteVolumeCommand } from './commands/delete-volume';
import { RestoreVolumeCommand } from './commands/restore-volume';
import { UpdateSnapshotCommand } from './commands/update-snapshot';
import { UpdateVolumeCommand } from './commands/update-volume';
import {
  GetSnapshotQuery,
  GetVolumeQuery,
  GetVolumeStatisticQuery,
  ListSnapshotsQuery,
  ListVolumesQuery,
} from './queries/volume-queries';
import type { SnapshotView, VolumeStatisticView, VolumeView } from './storage.contract';
import {
  CreateSnapshotDto,
  CreateVolumeDto,
  DeleteVolumeParams,
  SnapshotListParams,
  UpdateSnapshotDto,
  UpdateVolumeDto,
  VolumeListParams,
} from './storage.dto';
import { SnapshotViewSchema, VolumeStatisticSchema, VolumeViewSchema } from './storage.schemas';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'volume',
  'Volumes and their snapshots. A user (role 0) sees and changes only their own; read-only administrators see all ' +
    'and change nothing; administrators see and change all. Creating, deleting, snapshotting and restoring are tasks ' +
    "for the volume's host's agent: the volume shows `operation` (`Creating#<request id>` …) until the task ends, " +
    'and one thing at a time runs on a volume.',
);

/** A cluster's volumes. */
@ApiTags('volume')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/volume')
export class VolumesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'list volumes',
    description: "A user's own only; administrators see all.",
    result: listOf(VolumeViewSchema),
  })
  listVolume(
    @CurrentActor() actor: Actor,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Query() query: VolumeListParams,
  ): Promise<ListResult<VolumeView>> {
    return this.queries.execute(new ListVolumesQuery(actor, azUuid, clusterUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create a volume',
    description:
      'The volume spec must be registered in the (enabled) cluster; its pool must have `size` free (400 ' +
      'FAILED_PRECONDITION naming the free space otherwise — concurrent creations never over-commit a pool). ' +
      '`size` is whole GiB; an image (available, one the caller may see) needs `size` at least its own. ' +
      '`host_uuid` puts it on that host (enabled and reachable, of the cluster); without it the server picks the ' +
      'host whose volumes in the pool claim the fewest bytes. The answer comes at once with `state` 0 and ' +
      "`operation` `Creating#<request id>`; the host's agent creates it, and it becomes available (1), or failed " +
      '(10) with its claim released. Read-only administrators may not create volumes.',
    result: { volume: VolumeViewSchema },
  })
  async createVolume(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateVolumeDto,
  ): Promise<{ volume: VolumeView }> {
    return { volume: await this.commands.execute(new CreateVolumeCommand(origin, actor, azUuid, clusterUuid, body)) };
  }

  @Get(':VolumeUuid')
  @ApiDoc({
    summary: "get a volume's detailed information",
    description: 'With its snapshots and its 20 latest tasks.',
    result: { volume: VolumeViewSchema },
  })
  async getVolume(
    @CurrentActor() actor: Actor,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('VolumeUuid') volumeUuid: string,
  ): Promise<{ volume: VolumeView }> {
    return { volume: await this.queries.execute(new GetVolumeQuery(actor, { azUuid, clusterUuid, volumeUuid })) };
  }

  @Patch(':VolumeUuid')
  @ApiDoc({ summary: 'update a volume', description: 'Its name and description.', result: { vm: 'ok' } })
  async updateVolume(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @Body() body: UpdateVolumeDto,
  ): Promise<{ vm: 'ok' }> {
    // ChimeStack answers updateVolume with `{"vm":"ok"}`; its clients read that key.
    return { vm: await this.commands.execute(new UpdateVolumeCommand(origin, actor, { azUuid, clusterUuid, volumeUuid }, body)) };
  }

  @Delete(':VolumeUuid')
  @ApiDoc({
    summary: 'delete a volume',
    description:
      'A volume attached to a VM is never deleted. A failed volume goes at once. Otherwise, by default, the volume ' +
      "must be idle, have no snapshots and be on a reachable host: its host's agent deletes it (`Deleting#…`), and " +
      'it goes (its claim back to the pool) when that succeeds. `force_del=true` deletes it and its snapshots at ' +
      "once, whatever runs on it and even when its host is unreachable; its host's agent is still told to delete it.",
    result: 1,
  })
  deleteVolume(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @Query() query: DeleteVolumeParams,
  ): Promise<1> {
    const force = query.force_del === 'true' || query.force_del === '1';
    return this.commands.execute(new DeleteVolumeCommand(origin, actor, { azUuid, clusterUuid, volumeUuid }, force));
  }
}

/** Snapshots, addressed under their volume, and the statistics. */
@ApiTags('volume')
@Controller('v1')
export class SnapshotsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('snapshot')
  @ApiDoc({
    summary: 'list all snapshots',
    description: "A user's own only; administrators see all.",
    result: listOf(SnapshotViewSchema),
  })
  listSnapshot(@CurrentActor() actor: Actor, @Query() query: SnapshotListParams): Promise<ListResult<SnapshotView>> {
    return this.queries.execute(new ListSnapshotsQuery(actor, query));
  }

  @Get('volume/:VolumeUuid/snapshot')
  @ApiDoc({ summary: 'list snapshots belong to the volume', result: listOf(SnapshotViewSchema) })
  listVolumeSnapshot(
    @CurrentActor() actor: Actor,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @Query() query: SnapshotListParams,
  ): Promise<ListResult<SnapshotView>> {
    return this.queries.execute(new ListSnapshotsQuery(actor, query, volumeUuid));
  }

  @Post('volume/:VolumeUuid/snapshot')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create a snapshot',
    description:
      "The volume must be available (or in use) and idle, on a reachable host; at most 32 snapshots per volume. The host's " +
      'agent takes it (`snapshot/create`): the snapshot is 0 (being taken) until then, 1 after, 10 if that failed; ' +
      'the volume is busy meanwhile. The snapshot keeps the volume version it was taken of.',
    result: { snapshot: SnapshotViewSchema },
  })
  async createSnapshot(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @Body() body: CreateSnapshotDto,
  ): Promise<{ snapshot: SnapshotView }> {
    return { snapshot: await this.commands.execute(new CreateSnapshotCommand(origin, actor, volumeUuid, body)) };
  }

  @Get('volume/:VolumeUuid/snapshot/:SnapshotUuid')
  @ApiDoc({
    summary: "get a snapshot's detail information",
    description: 'With its 20 latest tasks.',
    result: { snapshot: SnapshotViewSchema },
  })
  async getSnapshot(
    @CurrentActor() actor: Actor,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @UuidParam('SnapshotUuid') snapshotUuid: string,
  ): Promise<{ snapshot: SnapshotView }> {
    return { snapshot: await this.queries.execute(new GetSnapshotQuery(actor, volumeUuid, snapshotUuid)) };
  }

  @Patch('volume/:VolumeUuid/snapshot/:SnapshotUuid')
  @ApiDoc({ summary: 'update a snapshot', description: 'Its name and description.', result: { snapshot: 'ok' } })
  async updateSnapshot(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @UuidParam('SnapshotUuid') snapshotUuid: string,
    @Body() body: UpdateSnapshotDto,
  ): Promise<{ snapshot: 'ok' }> {
    return { snapshot: await this.commands.execute(new UpdateSnapshotCommand(origin, actor, volumeUuid, snapshotUuid, body)) };
  }

  @Delete('volume/:VolumeUuid/snapshot/:SnapshotUuid')
  @ApiDoc({
    summary: 'delete a snapshot',
    description:
      "A failed snapshot goes at once; otherwise the volume must be idle and its host reachable, and the host's agent deletes it.",
    result: 'ok',
  })
  deleteSnapshot(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @UuidParam('SnapshotUuid') snapshotUuid: string,
  ): Promise<'ok'> {
    return this.commands.execute(new DeleteSnapshotCommand(origin, actor, volumeUuid, snapshotUuid));
  }

  @Put('volume/:VolumeUuid/snapshot/:SnapshotUuid/restore')
  @ApiDoc({
    summary: 'restore volume from a snapshot',
    description:
      'The volume must be available (not attached to a VM) and idle, the snapshot available, the host reachable. ' +
      "Answers the volume with `operation` `Restoring#<request id>`; the host's agent restores it.",
    result: { volume: VolumeViewSchema },
  })
  async restoreVolume(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VolumeUuid') volumeUuid: string,
    @UuidParam('SnapshotUuid') snapshotUuid: string,
  ): Promise<{ volume: VolumeView }> {
    return { volume: await this.commands.execute(new RestoreVolumeCommand(origin, actor, volumeUuid, snapshotUuid)) };
  }

  @Get('volume_statistic')
  @ApiDoc({
    summary: "get a volume's usage statistical information",
    description: "Counts by state, claimed bytes and snapshots of the volumes the caller may see (a user's own).",
    result: { volume_statistic: VolumeStatisticSchema },
  })
  async getVolumeStatistic(@CurrentActor() actor: Actor): Promise<{ volume_statistic: VolumeStatisticView }> {
    return { volume_statistic: await this.queries.execute(new GetVolumeStatisticQuery(actor)) };
  }
}
