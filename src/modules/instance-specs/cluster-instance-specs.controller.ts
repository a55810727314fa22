import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { RegisterInstanceSpecCommand } from './commands/register-instance-spec';
import { UnregisterInstanceSpecCommand } from './commands/unregister-instance-spec';
import type { ClusterInstanceSpecRelationView, ClusterInstanceSpecView } from './instance-spec.contract';
import { ClusterInstanceSpecListParams, CreateClusterInstanceSpecDto } from './instance-spec.dto';
import { ClusterInstanceSpecRelationViewSchema, ClusterInstanceSpecViewSchema } from './instance-spec.view';
import { ListClusterInstanceSpecsQuery } from './queries/list-cluster-instance-specs';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

/** The instance specifications registered in a cluster (the tag is described in instance-specs.controller.ts). */
@ApiTags('instance_spec')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/instance_spec_relation')
export class ClusterInstanceSpecsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'list instance specifications registered in the cluster',
    description: "`name` filters by the specification's name; `created_at` is when it was registered.",
    result: listOf(ClusterInstanceSpecViewSchema),
  })
  listClusterInstanceSpecRelation(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Query() query: ClusterInstanceSpecListParams,
  ): Promise<ListResult<ClusterInstanceSpecView>> {
    return this.queries.execute(new ListClusterInstanceSpecsQuery(azUuid, clusterUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'register an instance specification to a cluster',
    description:
      'The cluster must be enabled; at most 32 specifications per cluster; registering one twice is 400 ALREADY_EXISTS. ' +
      'An unknown specification is 404.',
    result: { cluster_instance_spec_relation: ClusterInstanceSpecRelationViewSchema },
    example: {
      requestId: '3a5673a2-6c6c-4096-a8f1-6caa18d7c74e',
      result: {
        cluster_instance_spec_relation: {
          cluster_uuid: '65bbc21f-0289-4bbf-9517-6b8da9688774',
          instance_spec_uuid: '849075e3-7b00-498d-9061-83996f3d370c',
          created_at: '2024-04-18T00:49:37.401Z',
        },
      },
    },
  })
  async createClusterInstanceSpecRelation(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateClusterInstanceSpecDto,
  ): Promise<{ cluster_instance_spec_relation: ClusterInstanceSpecRelationView }> {
    return {
      cluster_instance_spec_relation: await this.commands.execute(
        new RegisterInstanceSpecCommand(origin, azUuid, clusterUuid, body.instance_spec_uuid),
      ),
    };
  }

  @Delete(':InstanceSpecUuid')
  @MinRole(Role.Admin)
  @ApiDoc({ summary: 'unregister an instance specification from a cluster', result: 1 })
  deleteClusterInstanceSpecRelation(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('InstanceSpecUuid') specUuid: string,
  ): Promise<1> {
    return this.commands.execute(new UnregisterInstanceSpecCommand(origin, azUuid, clusterUuid, specUuid));
  }
}
