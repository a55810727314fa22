import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { CreateSubnetCommand } from './commands/create-subnet';
import { DeleteSubnetCommand } from './commands/delete-subnet';
import { UpdateSubnetCommand } from './commands/update-subnet';
import { NETWORK_LIMITS, type SubnetView } from './network.contract';
import type { NetworkPath } from './network.store';
import { CreateSubnetDto, SubnetListParams, UpdateSubnetDto } from './subnet.dto';
import { SubnetViewSchema } from './subnet.view';
import { GetSubnetQuery } from './queries/get-subnet';
import { ListSubnetsQuery } from './queries/list-subnets';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

const ADDRESS_RULES =
  'The cidr is stored with its host bits cleared (192.168.231.1/24 is 192.168.231.0/24); the gateway and every ' +
  'reserved address (comma-separated addresses and first-last ranges) lie inside it, in its IP version; an IPv4 ' +
  'gateway is neither the network nor the broadcast address (up to /30). Subnets of one network do not overlap ' +
  '(400 ALREADY_EXISTS).';

/** Subnets, always addressed under their network: everyone reads, administrators write. */
@ApiTags('network')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/network/:NetworkUuid/subnet')
export class SubnetsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'list subnets', description: "The network's subnets.", result: listOf(SubnetViewSchema) })
  listSubnet(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
    @Query() query: SubnetListParams,
  ): Promise<ListResult<SubnetView>> {
    return this.queries.execute(new ListSubnetsQuery({ azUuid, clusterUuid, networkUuid }, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a subnet',
    description: `${ADDRESS_RULES} The cluster must be enabled; at most ${NETWORK_LIMITS.subnetsPerNetwork} subnets per network.`,
    result: { subnet: SubnetViewSchema },
    example: {
      requestId: '77f9400f-b573-4f6b-a17d-2b331a4212c9',
      result: {
        subnet: {
          uuid: 'e73efdf7-d232-4556-ba95-3851100a47b7',
          name: 'subnet1',
          description: 'a subnet example',
          cidr: '192.168.231.0/24',
          gateway: '192.168.231.2',
          reserved_ips: '192.168.231.254,192.168.231.1-192.168.231.100',
          type: 0,
          state: 1,
          network_uuid: 'f2a515db-7699-4970-b13c-a8ea9840f62e',
          network_name: 'br1',
          created_at: '2024-04-18T04:28:28.794Z',
        },
      },
    },
  })
  async createSubnet(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
    @Body() body: CreateSubnetDto,
  ): Promise<{ subnet: SubnetView }> {
    return { subnet: await this.commands.execute(new CreateSubnetCommand(origin, { azUuid, clusterUuid, networkUuid }, body)) };
  }

  @Get(':SubnetUuid')
  @ApiDoc({ summary: "get a subnet's detailed information", result: { subnet: SubnetViewSchema } })
  async getSubnet(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
    @UuidParam('SubnetUuid') uuid: string,
  ): Promise<{ subnet: SubnetView }> {
    return { subnet: await this.queries.execute(new GetSubnetQuery({ azUuid, clusterUuid, networkUuid }, uuid)) };
  }

  @Patch(':SubnetUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update a subnet',
    description: `Fields left out or sent as \`null\` stay as they are; the result is checked as a whole. ${ADDRESS_RULES}`,
    result: { subnet: 'ok' },
  })
  async updateSubnet(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
    @UuidParam('SubnetUuid') uuid: string,
    @Body() body: UpdateSubnetDto,
  ): Promise<{ subnet: 'ok' }> {
    const path: NetworkPath = { azUuid, clusterUuid, networkUuid };
    return { subnet: await this.commands.execute(new UpdateSubnetCommand(origin, path, uuid, body)) };
  }

  @Delete(':SubnetUuid')
  @MinRole(Role.Admin)
  @ApiDoc({ summary: 'delete a subnet', result: 1 })
  deleteSubnet(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
    @UuidParam('SubnetUuid') uuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteSubnetCommand(origin, { azUuid, clusterUuid, networkUuid }, uuid));
  }
}
