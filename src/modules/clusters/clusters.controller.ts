import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, State, type ClusterView, type ListResult } from '@chime/contracts';
import { UuidParam } from '../../platform/http/validation';
import { MinRole } from '../identity/roles';
import { ClusterListParams, CreateClusterDto, UpdateClusterDto } from './cluster.dto';
import { CreateClusterCommand } from './commands/create-cluster';
import { DeleteClusterCommand } from './commands/delete-cluster';
import { SetClusterStateCommand } from './commands/set-cluster-state';
import { UpdateClusterCommand } from './commands/update-cluster';
import { GetClusterQuery } from './queries/get-cluster';
import { ListClustersQuery } from './queries/list-clusters';

/** Clusters (API.md §4.2), always addressed under their AZ: everyone reads, administrators write. */
@ApiTags('cluster')
@Controller('v1/az/:AzUuid/cluster')
export class ClustersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  listCluster(@UuidParam('AzUuid') azUuid: string, @Query() query: ClusterListParams): Promise<ListResult<ClusterView>> {
    return this.queries.execute(new ListClustersQuery(azUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  async createCluster(@UuidParam('AzUuid') azUuid: string, @Body() body: CreateClusterDto): Promise<{ cluster: ClusterView }> {
    return { cluster: await this.commands.execute(new CreateClusterCommand(azUuid, body)) };
  }

  @Get(':ClusterUuid')
  async getCluster(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
  ): Promise<{ cluster: ClusterView }> {
    return { cluster: await this.queries.execute(new GetClusterQuery(azUuid, uuid)) };
  }

  @Patch(':ClusterUuid')
  @MinRole(Role.Admin)
  async updateCluster(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') uuid: string,
    @Body() body: UpdateClusterDto,
  ): Promise<{ cluster: 'ok' }> {
    return { cluster: await this.commands.execute(new UpdateClusterCommand(azUuid, uuid, body)) };
  }

  @Delete(':ClusterUuid')
  @MinRole(Role.Admin)
  deleteCluster(@UuidParam('AzUuid') azUuid: string, @UuidParam('ClusterUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteClusterCommand(azUuid, uuid));
  }

  @Put(':ClusterUuid/enable')
  @MinRole(Role.Admin)
  async enableCluster(@UuidParam('AzUuid') azUuid: string, @UuidParam('ClusterUuid') uuid: string): Promise<{ cluster: 'ok' }> {
    return { cluster: await this.commands.execute(new SetClusterStateCommand(azUuid, uuid, State.Enabled)) };
  }

  @Put(':ClusterUuid/disable')
  @MinRole(Role.Admin)
  async disableCluster(@UuidParam('AzUuid') azUuid: string, @UuidParam('ClusterUuid') uuid: string): Promise<{ cluster: 'ok' }> {
    return { cluster: await this.commands.execute(new SetClusterStateCommand(azUuid, uuid, State.Disabled)) };
  }
}
