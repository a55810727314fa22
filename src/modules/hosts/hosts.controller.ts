import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { CreateHostCommand } from './commands/create-host';
import { DeleteHostCommand } from './commands/delete-host';
import { SetHostStateCommand } from './commands/set-host-state';
import { UpdateHostCommand } from './commands/update-host';
import { HOST_LIMITS, HostState, type ClientView, type HostStatisticView, type HostView } from './host.contract';
import { ClientListParams, CreateHostDto, HostListParams, HostStatisticParams, UpdateHostDto } from './host.dto';
import { ClientViewSchema, HostStatisticSchema, HostViewSchema } from './host.schemas';
import type { HostPath } from './host.store';
import { GetHostQuery } from './queries/get-host';
import { GetHostStatisticQuery } from './queries/get-host-statistic';
import { ListClientsQuery } from './queries/list-clients';
import { ListHostsQuery } from './queries/list-hosts';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'host',
  'Compute nodes. A node whose agent enrolled is a client (listClient) until an administrator adopts it into a ' +
    `cluster as a host (createHost; at most ${HOST_LIMITS.hostsPerCluster} hosts per cluster) with CPU and memory ` +
    'over-commit ratios and reservations. Administrators (read-only ones too) read, administrators write.',
);

const EXAMPLE_HOST = {
  uuid: 'a428263d-64a9-4653-8d7e-556c20c0d77a',
  name: 'host-a428263d',
  description: 'a host example',
  state: 1,
  az_uuid: 'cbd2819b-b49a-47ad-9fa4-307774d97865',
  cluster_uuid: '65bbc21f-0289-4bbf-9517-6b8da9688774',
  cluster_name: 'Default',
  rack_name: 'rack1',
  manage_ip: '192.168.231.128',
  node_ip: '10.10.10.1',
  storage_ip: '172.28.10.1',
  reserved_ip1: '',
  reserved_ip2: '',
  monitor_state: 1,
  monitor_message: '',
  heartbeat_at: '2024-06-23T09:09:44.000Z',
  cpu_ratio: 2,
  memory_ratio: 2,
  physical_vcpus: 4,
  reserved_vcpus: 1,
  total_vcpus: 7,
  used_vcpus: 0,
  physical_memory: 8291913728,
  reserved_memory: 1073741824,
  total_memory: 15509715712,
  used_memory: 0,
  domains: 0,
  active_domains: 0,
  vm_count: 0,
  vm_running_count: 0,
  operation: '08a8aa99-8d3e-4b10-a8e1-924f3fe8e7d3',
  last_operation_name: 'create',
  last_operation_state: 0,
  last_operation_created_at: '2024-06-17T12:05:19.000Z',
  last_operation_finished_at: null,
  tasks: [],
  networks: [],
  storage_pools: [],
  vms: [],
  created_at: '2024-06-17T12:05:19.000Z',
};

/** Hosts, always addressed under their cluster and its AZ. */
@ApiTags('host')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/host')
@MinRole(Role.ReadOnlyAdmin)
export class HostsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'lists hosts', description: "The cluster's hosts.", result: listOf(HostViewSchema) })
  listHost(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Query() query: HostListParams,
  ): Promise<ListResult<HostView>> {
    return this.queries.execute(new ListHostsQuery(azUuid, clusterUuid, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a host',
    description:
      'Adopts a client (`uuid`, see listClient) into the cluster as an enabled host, and sends its agent a ' +
      '`host`/`create` task (the host shows it in `operation` and `last_operation_*`). The cluster must be ' +
      `enabled and hold fewer than ${HOST_LIMITS.hostsPerCluster} hosts; the client must be reachable, enrolled and ` +
      'not adopted yet. `cpu_ratio` and `memory_ratio` default to 1, the reservations to 0 (at most what the node ' +
      'has). `total_vcpus` = physical_vcpus × cpu_ratio − reserved_vcpus; memory likewise.',
    result: { host: HostViewSchema },
    example: { requestId: 'd46b51f4-cb00-48bf-812d-6db4e589dd03', result: { host: EXAMPLE_HOST } },
  })
  async createHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateHostDto,
  ): Promise<{ host: HostView }> {
    return { host: await this.commands.execute(new CreateHostCommand(origin, azUuid, clusterUuid, body)) };
  }

  @Get(':HostUuid')
  @ApiDoc({
    summary: "get a host's detailed information",
    description: 'With its 20 latest host tasks.',
    result: { host: HostViewSchema },
  })
  async getHost(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
  ): Promise<{ host: HostView }> {
    return { host: await this.queries.execute(new GetHostQuery({ azUuid, clusterUuid, hostUuid })) };
  }

  @Patch(':HostUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update a host',
    description:
      'Any of `description`, `cpu_ratio`, `memory_ratio`, `reserved_vcpus`, `reserved_memory`; fields left out or ' +
      'sent as `null` stay as they are. Refused (400 FAILED_PRECONDITION) when the host would offer less than is placed on it.',
    result: { host: 'ok' },
  })
  async updateHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
    @Body() body: UpdateHostDto,
  ): Promise<{ host: 'ok' }> {
    return { host: await this.commands.execute(new UpdateHostCommand(origin, { azUuid, clusterUuid, hostUuid }, body)) };
  }

  @Delete(':HostUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'delete a host',
    description:
      'Only when nothing is placed on it (400 FAILED_PRECONDITION otherwise). Its node becomes a client again and ' +
      "its agent's credential is revoked at once; the agent enrols again to come back. Its unfinished tasks fail.",
    result: 1,
  })
  deleteHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteHostCommand(origin, { azUuid, clusterUuid, hostUuid }));
  }

  @Put(':HostUuid/enable')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'enable a host',
    description: 'New VMs may be placed on it. Repeating it is harmless.',
    result: { host: 'ok' },
  })
  enableHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
  ): Promise<{ host: 'ok' }> {
    return this.setState(origin, { azUuid, clusterUuid, hostUuid }, HostState.Enabled);
  }

  @Put(':HostUuid/disable')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'disable a host',
    description: 'No new VMs are placed on it; its VMs are managed as usual. Repeating it is harmless.',
    result: { host: 'ok' },
  })
  disableHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
  ): Promise<{ host: 'ok' }> {
    return this.setState(origin, { azUuid, clusterUuid, hostUuid }, HostState.Disabled);
  }

  @Put(':HostUuid/suspend')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'suspend a host',
    description: 'Out of service for maintenance: no new VMs, and no operations on its VMs. Repeating it is harmless.',
    result: { host: 'ok' },
  })
  suspendHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
  ): Promise<{ host: 'ok' }> {
    return this.setState(origin, { azUuid, clusterUuid, hostUuid }, HostState.Suspended);
  }

  private async setState(origin: Origin, path: HostPath, state: HostState): Promise<{ host: 'ok' }> {
    return { host: await this.commands.execute(new SetHostStateCommand(origin, path, state)) };
  }
}

/** The Host family's operations outside a cluster's path: the clients to adopt, and the statistic. */
@ApiTags('host')
@Controller('v1')
@MinRole(Role.ReadOnlyAdmin)
export class NodesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('client')
  @ApiDoc({
    summary: 'list clients',
    description:
      'Nodes whose agents enrolled. By default only those not adopted yet (the ones createHost can take); ' +
      '`all=1` lists every one, as does a `state` filter.',
    result: listOf(ClientViewSchema),
  })
  listClient(@Query() query: ClientListParams): Promise<ListResult<ClientView>> {
    return this.queries.execute(new ListClientsQuery(query));
  }

  @Get('host_statistic')
  @ApiDoc({
    summary: "get a host's usage statistical information",
    description: "Counts by state and monitor state, and summed capacity, of every host, of a cluster's, or of one host.",
    result: { host_statistic: HostStatisticSchema },
  })
  async getHostStatistic(@Query() query: HostStatisticParams): Promise<{ host_statistic: HostStatisticView }> {
    return { host_statistic: await this.queries.execute(new GetHostStatisticQuery(query)) };
  }
}
