import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { CreateVolumeSpecCommand } from './commands/create-volume-spec';
import { DeleteVolumeSpecCommand } from './commands/delete-volume-spec';
import { RegisterVolumeSpecCommand } from './commands/register-volume-spec';
import { UnregisterVolumeSpecCommand } from './commands/unregister-volume-spec';
import { UpdateVolumeSpecCommand } from './commands/update-volume-spec';
import { GetVolumeSpecQuery, ListClusterVolumeSpecsQuery, ListVolumeSpecsQuery } from './queries/volume-spec-queries';
import type { ClusterVolumeSpecRelationView, ClusterVolumeSpecView, VolumeSpecView } from './storage.contract';
import {
  ClusterVolumeSpecListParams,
  CreateClusterVolumeSpecDto,
  CreateVolumeSpecDto,
  UpdateVolumeSpecDto,
  VolumeSpecListParams,
} from './storage.dto';
import { ClusterVolumeSpecRelationViewSchema, ClusterVolumeSpecViewSchema, VolumeSpecViewSchema } from './storage.schemas';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'volume_spec',
  'Volume specifications (a pool, and IOPS and throughput per GiB within bounds) and their registration in clusters: ' +
    'everyone reads, administrators write (at most 32 specifications per cluster).',
);

@ApiTags('volume_spec')
@Controller('v1/volume_spec')
export class VolumeSpecsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'list volume specifications', result: listOf(VolumeSpecViewSchema) })
  listVolumeSpec(@Query() query: VolumeSpecListParams): Promise<ListResult<VolumeSpecView>> {
    return this.queries.execute(new ListVolumeSpecsQuery(query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a volume specification',
    description:
      'A volume made with it gets clamp(`step_iops` × GiB, `min_iops`, `max_iops`) IOPS and the same for throughput ' +
      '(bytes per second); each minimum at most its maximum. Names are unique regardless of case; an unknown pool is 404.',
    result: { volume_spec: VolumeSpecViewSchema },
    errors: [404],
  })
  async createVolumeSpec(
    @RequestOrigin() origin: Origin,
    @Body() body: CreateVolumeSpecDto,
  ): Promise<{ volume_spec: VolumeSpecView }> {
    return { volume_spec: await this.commands.execute(new CreateVolumeSpecCommand(origin, body)) };
  }

  @Get(':VolumeSpecUuid')
  @ApiDoc({ summary: "get a volume specification's detailed information", result: { volume_spec: VolumeSpecViewSchema } })
  async getVolumeSpec(@UuidParam('VolumeSpecUuid') uuid: string): Promise<{ volume_spec: VolumeSpecView }> {
    return { volume_spec: await this.queries.execute(new GetVolumeSpecQuery(uuid)) };
  }

  @Patch(':VolumeSpecUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update volume specification',
    description:
      'Fields left out or sent as `null` stay; new bounds apply to volumes created from then on. `storage_pool_uuid` ' +
      'changes only while no cluster has the specification and no volume was made with it.',
    result: { volume_spec: 'ok' },
  })
  async updateVolumeSpec(
    @RequestOrigin() origin: Origin,
    @UuidParam('VolumeSpecUuid') uuid: string,
    @Body() body: UpdateVolumeSpecDto,
  ): Promise<{ volume_spec: 'ok' }> {
    return { volume_spec: await this.commands.execute(new UpdateVolumeSpecCommand(origin, uuid, body)) };
  }

  @Delete(':VolumeSpecUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'delete a volume specification',
    description: 'Refused (400 FAILED_PRECONDITION) while registered in clusters or while volumes made with it exist.',
    result: 1,
  })
  deleteVolumeSpec(@RequestOrigin() origin: Origin, @UuidParam('VolumeSpecUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteVolumeSpecCommand(origin, uuid));
  }
}

@ApiTags('volume_spec')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/volume_spec_relation')
export class ClusterVolumeSpecsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'list volume specifications registered in the cluster',
    description: "`name` filters by the specification's name; `created_at` is when it was registered.",
    result: listOf(ClusterVolumeSpecViewSchema),
  })
  listClusterVolumeSpecRelation(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Query() query: ClusterVolumeSpecListParams,
  ): Promise<ListResult<ClusterVolumeSpecView>> {
    return this.queries.execute(new ListClusterVolumeSpecsQuery(azUuid, clusterUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'register a volume specification to the cluster',
    description:
      "The cluster must be enabled and hold the specification's pool; at most 32 specifications per cluster; " +
      'registering one twice is 400 ALREADY_EXISTS; an unknown specification is 404.',
    result: { cluster_volume_spec_relation: ClusterVolumeSpecRelationViewSchema },
  })
  async createClusterVolumeSpecRelation(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateClusterVolumeSpecDto,
  ): Promise<{ cluster_volume_spec_relation: ClusterVolumeSpecRelationView }> {
    return {
      cluster_volume_spec_relation: await this.commands.execute(
        new RegisterVolumeSpecCommand(origin, azUuid, clusterUuid, body.volume_spec_uuid),
      ),
    };
  }

  @Delete(':VolumeSpecUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'unregister a volume specification from the cluster',
    description: 'Volumes made with it stay; new volumes in the cluster can no longer use it.',
    result: 1,
  })
  deleteClusterVolumeSpecRelation(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('VolumeSpecUuid') specUuid: string,
  ): Promise<1> {
    return this.commands.execute(new UnregisterVolumeSpecCommand(origin, azUuid, clusterUuid, specUuid));
  }
}
