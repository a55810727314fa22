import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, State, type AzView, type ListResult } from '@chime/contracts';
import { UuidParam } from '../../platform/http/validation';
import { MinRole } from '../identity/roles';
import { AzListParams, CreateAzDto, UpdateAzDto } from './az.dto';
import { CreateAzCommand } from './commands/create-az';
import { DeleteAzCommand } from './commands/delete-az';
import { SetAzStateCommand } from './commands/set-az-state';
import { UpdateAzCommand } from './commands/update-az';
import { GetAzQuery } from './queries/get-az';
import { ListAzsQuery } from './queries/list-azs';

/** Availability zones (API.md §4.1): everyone reads, administrators write. */
@ApiTags('az')
@Controller('v1/az')
export class ZonesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  listAz(@Query() query: AzListParams): Promise<ListResult<AzView>> {
    return this.queries.execute(new ListAzsQuery(query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  async createAz(@Body() body: CreateAzDto): Promise<{ az: AzView }> {
    return { az: await this.commands.execute(new CreateAzCommand(body)) };
  }

  @Get(':AzUuid')
  async getAz(@UuidParam('AzUuid') uuid: string): Promise<{ az: AzView }> {
    return { az: await this.queries.execute(new GetAzQuery(uuid)) };
  }

  @Patch(':AzUuid')
  @MinRole(Role.Admin)
  async updateAz(@UuidParam('AzUuid') uuid: string, @Body() body: UpdateAzDto): Promise<{ az: 'ok' }> {
    return { az: await this.commands.execute(new UpdateAzCommand(uuid, body)) };
  }

  @Delete(':AzUuid')
  @MinRole(Role.Admin)
  deleteAz(@UuidParam('AzUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteAzCommand(uuid));
  }

  @Put(':AzUuid/enable')
  @MinRole(Role.Admin)
  async enableAz(@UuidParam('AzUuid') uuid: string): Promise<{ az: 'ok' }> {
    return { az: await this.commands.execute(new SetAzStateCommand(uuid, State.Enabled)) };
  }

  @Put(':AzUuid/disable')
  @MinRole(Role.Admin)
  async disableAz(@UuidParam('AzUuid') uuid: string): Promise<{ az: 'ok' }> {
    return { az: await this.commands.execute(new SetAzStateCommand(uuid, State.Disabled)) };
  }
}
