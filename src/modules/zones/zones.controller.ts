import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { Role, State, type AzView, type ListResult } from '@chime/contracts';
import { UuidParam } from '../../platform/http/validation';
import { MinRole } from '../../platform/http/roles';
import { AzViewSchema } from './az.view';
import { AzListParams, CreateAzDto, UpdateAzDto } from './az.dto';
import { CreateAzCommand } from './commands/create-az';
import { DeleteAzCommand } from './commands/delete-az';
import { SetAzStateCommand } from './commands/set-az-state';
import { UpdateAzCommand } from './commands/update-az';
import { GetAzQuery } from './queries/get-az';
import { ListAzsQuery } from './queries/list-azs';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag('az', 'Availability zones: everyone reads, administrators write (at most 32).');

/** Availability zones (API.md §4.1): everyone reads, administrators write. */
@ApiTags('az')
@Controller('v1/az')
export class ZonesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'lists available zones', result: listOf(AzViewSchema) })
  listAz(@Query() query: AzListParams): Promise<ListResult<AzView>> {
    return this.queries.execute(new ListAzsQuery(query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create an available zone',
    description: 'The new AZ is enabled (`state` 1). At most 32 AZs; names are unique regardless of case.',
    result: { az: AzViewSchema },
  })
  async createAz(@RequestOrigin() origin: Origin, @Body() body: CreateAzDto): Promise<{ az: AzView }> {
    return { az: await this.commands.execute(new CreateAzCommand(origin, body)) };
  }

  @Get(':AzUuid')
  @ApiDoc({ summary: "get an available zone's detail information", result: { az: AzViewSchema } })
  async getAz(@UuidParam('AzUuid') uuid: string): Promise<{ az: AzView }> {
    return { az: await this.queries.execute(new GetAzQuery(uuid)) };
  }

  @Patch(':AzUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update an available zone',
    description: 'Fields left out or sent as `null` stay as they are.',
    result: { az: 'ok' },
  })
  async updateAz(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') uuid: string,
    @Body() body: UpdateAzDto,
  ): Promise<{ az: 'ok' }> {
    return { az: await this.commands.execute(new UpdateAzCommand(origin, uuid, body)) };
  }

  @Delete(':AzUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'delete an available zone',
    description: '400 `FAILED_PRECONDITION` while it holds clusters.',
    result: 1,
  })
  deleteAz(@RequestOrigin() origin: Origin, @UuidParam('AzUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteAzCommand(origin, uuid));
  }

  @Put(':AzUuid/enable')
  @MinRole(Role.Admin)
  @ApiDoc({ summary: 'enable an available zone', description: 'Repeating it is harmless.', result: { az: 'ok' } })
  async enableAz(@RequestOrigin() origin: Origin, @UuidParam('AzUuid') uuid: string): Promise<{ az: 'ok' }> {
    return { az: await this.commands.execute(new SetAzStateCommand(origin, uuid, State.Enabled)) };
  }

  @Put(':AzUuid/disable')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'disable an available zone',
    description: 'A disabled AZ keeps its clusters but accepts no new ones. Repeating it is harmless.',
    result: { az: 'ok' },
  })
  async disableAz(@RequestOrigin() origin: Origin, @UuidParam('AzUuid') uuid: string): Promise<{ az: 'ok' }> {
    return { az: await this.commands.execute(new SetAzStateCommand(origin, uuid, State.Disabled)) };
  }
}
