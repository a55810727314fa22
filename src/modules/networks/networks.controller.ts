import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { CreateNetworkCommand } from './commands/create-network';
import { DeleteNetworkCommand } from './commands/delete-network';
import { UpdateNetworkCommand } from './commands/update-network';
import { NETWORK_LIMITS, type NetworkView } from './network.contract';
import { CreateNetworkDto, NetworkListParams, UpdateNetworkDto } from './network.dto';
import { NetworkViewSchema } from './network.view';
import { GetNetworkQuery } from './queries/get-network';
import { ListNetworksQuery } from './queries/list-networks';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'network',
  'Networks of a cluster (classical, VLAN, VXLAN) and their subnets (IPv4 or IPv6, never overlapping within a network): ' +
    `everyone reads, administrators write (at most ${NETWORK_LIMITS.networksPerCluster} networks per cluster, ` +
    `${NETWORK_LIMITS.subnetsPerNetwork} subnets per network). Network interfaces (NICs, \`/v1/nic\`) hold an address ` +
    'of a subnet: a user sees and changes only their own, read-only administrators read all, administrators all.',
);

/** Networks, always addressed under their cluster and its AZ: everyone reads, administrators write. */
@ApiTags('network')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/network')
export class NetworksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'list networks', description: "The cluster's networks.", result: listOf(NetworkViewSchema) })
  listNetwork(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Query() query: NetworkListParams,
  ): Promise<ListResult<NetworkView>> {
    return this.queries.execute(new ListNetworksQuery(azUuid, clusterUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a network',
    description:
      '`type` defaults to 0 (classical). `vlan_id` is required for a vlan network (1–4094) and a vxlan network ' +
      '(its VNI, 1–16777215), and left out for a classical one. The cluster must be enabled; at most ' +
      `${NETWORK_LIMITS.networksPerCluster} networks per cluster. Unique within the cluster: the name (regardless ` +
      'of case), the bridge name, a VLAN id on one interface, a VNI.',
    result: { network: NetworkViewSchema },
    example: {
      requestId: '3abf33eb-dae3-4a61-8331-5a53163e7362',
      result: {
        network: {
          uuid: 'f2a515db-7699-4970-b13c-a8ea9840f62e',
          name: 'br1',
          description: 'default network',
          bridge_name: 'br1',
          interface_name: 'ens224',
          type: 0,
          vlan_id: '',
          state: 1,
          az_uuid: 'cbd2819b-b49a-47ad-9fa4-307774d97865',
          cluster_uuid: '65bbc21f-0289-4bbf-9517-6b8da9688774',
          cluster_name: 'Default',
          created_at: '2024-04-18T04:21:30.000Z',
        },
      },
    },
  })
  async createNetwork(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateNetworkDto,
  ): Promise<{ network: NetworkView }> {
    return { network: await this.commands.execute(new CreateNetworkCommand(origin, azUuid, clusterUuid, body)) };
  }

  @Get(':NetworkUuid')
  @ApiDoc({ summary: "get network's detailed information", result: { network: NetworkViewSchema } })
  async getNetwork(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
  ): Promise<{ network: NetworkView }> {
    return { network: await this.queries.execute(new GetNetworkQuery({ azUuid, clusterUuid, networkUuid })) };
  }

  @Patch(':NetworkUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update a network',
    description: '`name` and `description`; fields left out or sent as `null` stay as they are.',
    result: { network: 'ok' },
  })
  async updateNetwork(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
    @Body() body: UpdateNetworkDto,
  ): Promise<{ network: 'ok' }> {
    return { network: await this.commands.execute(new UpdateNetworkCommand(origin, { azUuid, clusterUuid, networkUuid }, body)) };
  }

  @Delete(':NetworkUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'delete a network',
    description: 'A network that still holds subnets cannot be deleted (400 FAILED_PRECONDITION).',
    result: 1,
  })
  deleteNetwork(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('NetworkUuid') networkUuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteNetworkCommand(origin, { azUuid, clusterUuid, networkUuid }));
  }
}
