import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { CreateInstanceSpecCommand } from './commands/create-instance-spec';
import { DeleteInstanceSpecCommand } from './commands/delete-instance-spec';
import { UpdateInstanceSpecCommand } from './commands/update-instance-spec';
import type { InstanceSpecView } from './instance-spec.contract';
import { CreateInstanceSpecDto, InstanceSpecListParams, UpdateInstanceSpecDto } from './instance-spec.dto';
import { InstanceSpecViewSchema } from './instance-spec.view';
import { GetInstanceSpecQuery } from './queries/get-instance-spec';
import { ListInstanceSpecsQuery } from './queries/list-instance-specs';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'instance_spec',
  'Instance specifications (vCPUs, memory) and their registration in clusters: everyone reads, administrators ' +
    'write (at most 32 specifications per cluster).',
);

/** Instance specifications: everyone reads, administrators write. */
@ApiTags('instance_spec')
@Controller('v1/instance_spec')
export class InstanceSpecsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'list instance specifications', result: listOf(InstanceSpecViewSchema) })
  listInstanceSpec(@Query() query: InstanceSpecListParams): Promise<ListResult<InstanceSpecView>> {
    return this.queries.execute(new ListInstanceSpecsQuery(query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create an instance specification',
    description:
      '`vcpus` from 1 to 1024, `memory` in bytes from 1 to 16 TiB, `type` 0 shared (the default) or 1 dedicated. ' +
      'Names are unique regardless of case. The new specification is available (`state` 1) and in no cluster.',
    result: { instance_spec: InstanceSpecViewSchema },
    example: {
      requestId: '544abc7a-9a56-4275-9de6-54b0fef875ad',
      result: {
        instance_spec: {
          uuid: '849075e3-7b00-498d-9061-83996f3d370c',
          name: 'test-spec',
          description: '',
          vcpus: 1,
          memory: 16777216,
          type: 1,
          state: 1,
          cluster_count: 0,
          created_at: '2024-04-18T00:20:28.771Z',
        },
      },
    },
  })
  async createInstanceSpec(
    @RequestOrigin() origin: Origin,
    @Body() body: CreateInstanceSpecDto,
  ): Promise<{ instance_spec: InstanceSpecView }> {
    return { instance_spec: await this.commands.execute(new CreateInstanceSpecCommand(origin, body)) };
  }

  @Get(':InstanceSpecUuid')
  @ApiDoc({ summary: "get an instance specification's detail information", result: { instance_spec: InstanceSpecViewSchema } })
  async getInstanceSpec(@UuidParam('InstanceSpecUuid') uuid: string): Promise<{ instance_spec: InstanceSpecView }> {
    return { instance_spec: await this.queries.execute(new GetInstanceSpecQuery(uuid)) };
  }

  @Patch(':InstanceSpecUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update an instance specification',
    description: 'Fields left out or sent as `null` stay as they are.',
    result: { instance_spec: 'ok' },
  })
  async updateInstanceSpec(
    @RequestOrigin() origin: Origin,
    @UuidParam('InstanceSpecUuid') uuid: string,
    @Body() body: UpdateInstanceSpecDto,
  ): Promise<{ instance_spec: 'ok' }> {
    return { instance_spec: await this.commands.execute(new UpdateInstanceSpecCommand(origin, uuid, body)) };
  }

  @Delete(':InstanceSpecUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'delete an instance specification',
    description:
      'A specification still registered in clusters is not deleted (400 FAILED_PRECONDITION, naming how many): ' +
      'unregister it first. Deleting a cluster unregisters its specifications.',
    result: 1,
  })
  deleteInstanceSpec(@RequestOrigin() origin: Origin, @UuidParam('InstanceSpecUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteInstanceSpecCommand(origin, uuid));
  }
}
