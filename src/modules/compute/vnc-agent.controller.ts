import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ApiDoc } from '../../platform/http/api-docs';
import { CurrentAgent, ForAgents, type AgentCaller } from '../hosts/agent.port';
import { RedeemVncTicketCommand } from './commands/issue-vnc-ticket';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

@ApiSchema({ name: 'RedeemVncTicketRequest' })
export class RedeemVncTicketDto {
  @ApiProperty({ minLength: 1, maxLength: 128, description: 'the ticket getVmVnc gave the user' })
  @IsString({ message: 'ticket must be a string' })
  @Length(1, 128, { message: 'ticket must be 1 to 128 characters' })
  ticket!: string;
}

@ApiSchema({ name: 'RedeemedVncTicket' })
export class RedeemedVncTicketSchema {
  @ApiProperty({ format: 'uuid' })
  vm_uuid!: string;

  @ApiProperty({ type: 'integer' })
  port!: number;
}

/** The agent side of getVmVnc: a host's console proxy redeems a user's ticket, once. */
@ApiTags('agent')
@Controller('v1/agent')
export class VncAgentController {
  constructor(private readonly commands: CommandBus) {}

  @Post('vnc_ticket')
  @HttpCode(HttpStatus.OK)
  @ForAgents()
  @ApiDoc({
    summary: 'redeem a console ticket',
    description:
      "Once, before it expires, for a running VM on the calling node: the VM and its console's port. Anything else is 404.",
    errors: [404],
    result: { vnc: RedeemedVncTicketSchema },
  })
  async redeemVncTicket(
    @RequestOrigin() origin: Origin,
    @CurrentAgent() agent: AgentCaller,
    @Body() body: RedeemVncTicketDto,
  ): Promise<{ vnc: { vm_uuid: string; port: number } }> {
    return { vnc: await this.commands.execute(new RedeemVncTicketCommand(origin, agent.clientUuid, body.ticket)) };
  }
}
