import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import type { Actor } from '../../platform/http/request-context';
import { UuidParam } from '../../platform/http/validation';
import { CreateNicCommand } from './commands/create-nic';
import { DeleteNicCommand } from './commands/delete-nic';
import { UpdateNicCommand } from './commands/update-nic';
import type { NicStatisticView, NicView } from './nic.contract';
import { CreateNicDto, DeleteNicParams, NicListParams, UpdateNicDto } from './nic.dto';
import { NicStatisticSchema, NicViewSchema } from './nic.view';
import { GetNicQuery, GetNicStatisticQuery, ListNicsQuery } from './queries/nic-queries';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

const ALLOCATION =
  "Without `ip` the server gives the first free address from where the subnet's last allocation stopped " +
  '(wrapping once), never its network, broadcast or gateway address nor a reserved one; an `ip` asked for ' +
  'obeys the same rules and must not be held by another NIC (400 ALREADY_EXISTS naming it). A full subnet is ' +
  '400 FAILED_PRECONDITION. The MAC is 52:54:00 and a number from a sequence.';

/** Network interfaces (ChimeStack's NIC operations): owned by their creator. */
@ApiTags('network')
@Controller('v1')
export class NicsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('nic')
  @ApiDoc({
    summary: 'list network interfaces',
    description: "A user's own only; administrators see all.",
    result: listOf(NicViewSchema),
  })
  listNic(@CurrentActor() actor: Actor, @Query() query: NicListParams): Promise<ListResult<NicView>> {
    return this.queries.execute(new ListNicsQuery(actor, query));
  }

  @Post('nic')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create a network interface',
    description:
      `An address in a subnet (any subnet: everyone reads them), attached to no VM (state 1). ${ALLOCATION} ` +
      '`sg_uuid` names a security group the caller may use ("" or left out: none). Read-only administrators may not create NICs.',
    result: { nic: NicViewSchema },
    errors: [404],
  })
  async createNic(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateNicDto,
  ): Promise<{ nic: NicView }> {
    return { nic: await this.commands.execute(new CreateNicCommand(origin, actor, body)) };
  }

  @Get('nic/:NicUuid')
  @ApiDoc({ summary: "get a network interface's detailed information", result: { nic: NicViewSchema } })
  async getNic(@CurrentActor() actor: Actor, @UuidParam('NicUuid') uuid: string): Promise<{ nic: NicView }> {
    return { nic: await this.queries.execute(new GetNicQuery(actor, uuid)) };
  }

  @Patch('nic/:NicUuid')
  @ApiDoc({ summary: 'update a network interface', description: 'Its name and description.', result: { vm: 'ok' } })
  async updateNic(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('NicUuid') uuid: string,
    @Body() body: UpdateNicDto,
  ): Promise<{ vm: 'ok' }> {
    // ChimeStack answers updateNic with `{"vm":"ok"}`; its clients read that key.
    return { vm: await this.commands.execute(new UpdateNicCommand(origin, actor, uuid, body)) };
  }

  @Delete('nic/:NicUuid')
  @ApiDoc({
    summary: 'delete a network interface',
    description:
      'Its address goes back to the subnet at once. A NIC attached to a VM (state 2) is refused (400 ' +
      'FAILED_PRECONDITION naming the VM), with or without `force_del`: detach it first, or delete the VM.',
    result: 1,
  })
  deleteNic(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('NicUuid') uuid: string,
    @Query() _query: DeleteNicParams,
  ): Promise<1> {
    return this.commands.execute(new DeleteNicCommand(origin, actor, uuid));
  }

  @Get('nic_statistic')
  @ApiDoc({
    summary: "get a network interface's statistical information",
    description: "Counts by state of the NICs the caller may see (a user's own).",
    result: { nic_statistic: NicStatisticSchema },
  })
  async getNicStatistic(@CurrentActor() actor: Actor): Promise<{ nic_statistic: NicStatisticView }> {
    return { nic_statistic: await this.queries.execute(new GetNicStatisticQuery(actor)) };
  }
}
