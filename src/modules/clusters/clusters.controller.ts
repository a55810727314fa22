import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { Role, State, type ClusterView, type ListResult } from '@chime/contracts';
import { UuidParam } from '../../platform/http/validation';
import { MinRole } from '../../platform/http/roles';
import { ClusterListParams, CreateClusterDto, UpdateClusterDto } from './cluster.dto';
import { CreateClusterCommand } from './commands/create-cluster';
import { DeleteClusterCommand } from './commands/delete-cluster';
import { SetClusterStateCommand } from './commands/set-cluster-state';
import { UpdateClusterCommand } from './commands/update-cluster';
import { GetClusterQuery } from './queries/get-cluster';
import { ListClustersQuery } from './queries/list-clusters';
import { ClusterViewSchema } from './cluster.view';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'cluster',
  'Clusters, always addressed under their availability zone: everyone reads, administrators write (at most 32 per AZ).',
);

/** Clusters (API.md §4.2), always addressed under their AZ: everyone reads, administrators write. */
@ApiTags('cluster')
@Controller('v1/az/:AzUuid/cluster')
export class ClustersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'lists clusters', description: "The AZ's clusters.", result: listOf(ClusterViewSchema) })
  listCluster(@UuidParam('AzUuid') azUuid: string, @Query() query: ClusterListParams): Promise<ListResult<ClusterView>> {
    return this.queries.execute(new ListClustersQuery(azUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a cluster',
    description:
      'The new cluster is enabled (`state` 1); `arch` defaults to `x86_64`, `hypervisor_type` to `kvm`, `type` to 0. ' +
      'The AZ must be enabled; at most 32 clusters per AZ; names are unique within the AZ regardless of case.',
    result: { cluster: ClusterViewSchema },
    example: {
      requestId: '8e3592e3-6581-4923-8292-e57418d128ad',
      result: {
        cluster: {
          uuid: 'e359211d-a882-4609-baad-db57557fdf2e',
          name: 'mycluster',
          description: 'test cluster',
          arch: 'x86_64',
          hypervisor_type: 'kvm',
          type: 0,
          state: 1,
          az_uuid: 'cbd2819b-b49a-47ad-9fa4-307774d97865',
          az_name: 'myaz',
          created_at: '2024-04-17T08:46:42.227Z',
        },
      },
    },
  })
  async createCluster(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @Body() body: CreateClusterDto,
  ): Promise<{ cluster: ClusterView }> {
    return { cluster: await this.commands.execute(new CreateClusterCommand(origin, azUuid, body)) };
  }

  @Get(':ClusterUuid')
  @ApiDoc({ summary: "get a cluster's detailed information", result: { cluster: ClusterViewSchema } })
  async getCluster(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
  ): Promise<{ cluster: ClusterView }> {
    return { cluster: await this.queries.execute(new GetClusterQuery(azUuid, uuid)) };
  }

  @Patch(':ClusterUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update a cluster',
    description: 'Fields left out or sent as `null` stay as they are.',
    result: { cluster: 'ok' },
  })
  async updateCluster(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
    @Body() body: UpdateClusterDto,
  ): Promise<{ cluster: 'ok' }> {
    return { cluster: await this.commands.execute(new UpdateClusterCommand(origin, azUuid, uuid, body)) };
  }

  @Delete(':ClusterUuid')
  @MinRole(Role.Admin)
  @ApiDoc({ summary: 'delete a cluster', result: 1 })
  deleteCluster(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteClusterCommand(origin, azUuid, uuid));
  }

  @Put(':ClusterUuid/enable')
  @MinRole(Role.Admin)
  @ApiDoc({ summary: 'enable a cluster', description: 'Repeating it is harmless.', result: { cluster: 'ok' } })
  async enableCluster(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
  ): Promise<{ cluster: 'ok' }> {
    return { cluster: await this.commands.execute(new SetClusterStateCommand(origin, azUuid, uuid, State.Enabled)) };
  }

  @Put(':ClusterUuid/disable')
  @MinRole(Role.Admin)
  @ApiDoc({ summary: 'disable a cluster', description: 'Repeating it is harmless.', result: { cluster: 'ok' } })
  async disableCluster(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
  ): Promise<{ cluster: 'ok' }> {
    return { cluster: await this.commands.execute(new SetClusterStateCommand(origin, azUuid, uuid, State.Disabled)) };
  }
}
