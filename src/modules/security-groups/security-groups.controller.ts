import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import { describeApiTag } from '../../platform/http/openapi';
import type { Actor } from '../../platform/http/request-context';
import { UuidParam } from '../../platform/http/validation';
import { CreateSecurityGroupCommand } from './commands/create-security-group';
import { DeleteSecurityGroupCommand } from './commands/delete-security-group';
import { UpdateSecurityGroupCommand } from './commands/update-security-group';
import { GetSecurityGroupQuery, ListSecurityGroupsQuery } from './queries/security-group-queries';
import type { SecurityGroupView } from './security-group.contract';
import { CreateSecurityGroupDto, SecurityGroupListParams, UpdateSecurityGroupDto } from './security-group.dto';
import { SecurityGroupViewSchema } from './security-group.view';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'security_group',
  "Security groups: a user's named lists of ingress and egress rules for NICs (at most 16 groups per user, 64 rules " +
    'per list). A user (role 0) sees and changes only their own; read-only administrators see all and change nothing; ' +
    'administrators see and change all.',
);

const RULES =
  'A rule: `action` ACCEPT or REJECT, `direction` 0 in `ingress_rules` and 1 in `egress_rules`, `protocol` tcp, udp, ' +
  'icmp or all, `sip`/`dip` a CIDR (IPv4 or IPv6, both of one version; kept with host bits cleared; empty or left out: ' +
  'any address), `sport`/`dport` a range `a:b` of ports 1–65535 with a ≤ b, or one port `80` (kept as `80:80`; empty ' +
  'or left out: any port; only for tcp and udp). At most 64 rules per list.';

const EXAMPLE_GROUP = {
  uuid: '0d3c5a4e-7f6b-4f5e-9a57-3c1f0b2d8e61',
  name: 'sg1',
  description: 'a security group example',
  user_uuid: 'b2a4e0f8-3c6d-4e1a-9f7b-5d8c2a1e0f93',
  ingress_rules: [
    {
      action: 'ACCEPT',
      description: 'ssh',
      direction: 0,
      protocol: 'tcp',
      sip: '0.0.0.0/0',
      dip: '',
      sport: '',
      dport: '22:22',
    },
  ],
  egress_rules: [
    { action: 'ACCEPT', description: 'anything', direction: 1, protocol: 'all', sip: '', dip: '', sport: '', dport: '' },
  ],
  created_at: '2025-11-28T10:00:00.000Z',
  updated_at: '2025-11-28T10:00:00.000Z',
};

/** Security groups (ChimeStack's SecurityGroup family). */
@ApiTags('security_group')
@Controller('v1/securitygroup')
export class SecurityGroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'list security groups',
    description: "A user's own only; administrators and read-only administrators see all.",
    result: listOf(SecurityGroupViewSchema),
  })
  listSecurityGroup(
    @CurrentActor() actor: Actor,
    @Query() query: SecurityGroupListParams,
  ): Promise<ListResult<SecurityGroupView>> {
    return this.queries.execute(new ListSecurityGroupsQuery(actor, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create a security group',
    description:
      `The group belongs to the caller. Names are unique per user regardless of case; at most 16 groups per user ` +
      `(400 LIMIT_EXCEEDED). Read-only administrators may not create groups. ${RULES}`,
    result: { securitygroup: SecurityGroupViewSchema },
    example: { requestId: '544abc7a-9a56-4275-9de6-54b0fef875ad', result: { securitygroup: EXAMPLE_GROUP } },
  })
  async createSecurityGroup(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateSecurityGroupDto,
  ): Promise<{ securitygroup: SecurityGroupView }> {
    return { securitygroup: await this.commands.execute(new CreateSecurityGroupCommand(origin, actor, body)) };
  }

  @Get(':SecurityGroupUuid')
  @ApiDoc({ summary: "get a SG's detailed information", result: { securitygroup: SecurityGroupViewSchema } })
  async getSecurityGroup(
    @CurrentActor() actor: Actor,
    @UuidParam('SecurityGroupUuid') uuid: string,
  ): Promise<{ securitygroup: SecurityGroupView }> {
    return { securitygroup: await this.queries.execute(new GetSecurityGroupQuery(actor, uuid)) };
  }

  @Patch(':SecurityGroupUuid')
  @ApiDoc({
    summary: 'update a security group',
    description: `Fields left out or sent as \`null\` stay as they are; a rule list given replaces the whole list. ${RULES}`,
    result: { securitygroup: 'ok' },
  })
  async updateSecurityGroup(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('SecurityGroupUuid') uuid: string,
    @Body() body: UpdateSecurityGroupDto,
  ): Promise<{ securitygroup: 'ok' }> {
    return { securitygroup: await this.commands.execute(new UpdateSecurityGroupCommand(origin, actor, uuid, body)) };
  }

  @Delete(':SecurityGroupUuid')
  @ApiDoc({
    summary: 'delete a security group',
    description: 'A group a NIC uses is not deleted (400 FAILED_PRECONDITION).',
    result: 1,
  })
  deleteSecurityGroup(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('SecurityGroupUuid') uuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteSecurityGroupCommand(origin, actor, uuid));
  }
}
