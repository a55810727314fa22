import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import { describeApiTag } from '../../platform/http/openapi';
import type { Actor } from '../../platform/http/request-context';
import { UuidParam } from '../../platform/http/validation';
import { CreateVmCommand } from './commands/create-vm';
import { DeleteVmCommand } from './commands/delete-vm';
import { IssueVncTicketCommand } from './commands/issue-vnc-ticket';
import { MigrateVmCommand } from './commands/migrate-vm';
import { PowerVmCommand } from './commands/power-vm';
import { UpdateVmCommand } from './commands/update-vm';
import { ChangeVmDeviceCommand } from './commands/vm-devices';
import type { VmStatisticView, VmView, VmVncView } from './compute.contract';
import {
  AttachNicDto,
  AttachVolumeDto,
  CreateVmDto,
  DeleteVmParams,
  UpdateVmDto,
  VmListParams,
  VmMigrateDto,
} from './compute.dto';
import { VmStatisticSchema, VmViewSchema, VmVncSchema } from './compute.schemas';
import { DescribeVmQuery, GetVmStatisticQuery, ListVmsQuery } from './queries/vm-queries';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'vm',
  'Virtual machines. A user (role 0) sees and acts on their own only; read-only administrators see all and change ' +
    'nothing; administrators see and change all. The scheduler places a VM on a host with room (its vCPUs and memory ' +
    "claimed atomically: no host is ever over-committed). Work on a VM is a task for its host's agent: the VM shows " +
    '`operation` (`Creating#<request id>`, `Starting#…`) until the task ends, and one thing at a time runs on a VM.',
);

const OK = { vm: 'ok' } as const;

@ApiTags('vm')
@Controller('v1')
export class VmsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('vm')
  @ApiDoc({
    summary: 'list virtual machines',
    description: "A user's own only; administrators see all.",
    result: listOf(VmViewSchema),
  })
  listVm(@CurrentActor() actor: Actor, @Query() query: VmListParams): Promise<ListResult<VmView>> {
    return this.queries.execute(new ListVmsQuery(actor, query));
  }

  @Post('vm')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create a virtual machine',
    description:
      "The cluster must be enabled, the instance spec and the volumes' specs registered in it. The scheduler picks the " +
      'host (administrators may pin one with `host_uuid`, still checked for room): enabled, reachable, with the vCPUs and ' +
      'memory free; 400 FAILED_PRECONDITION saying why no host fits otherwise. The root volume (the one with `root: 1`, ' +
      'or the first) is made from its image; NICs get addresses from their subnets (the first is primary unless one ' +
      'says so). All of it is one unit: the answer comes at once with `state` 0 and `operation` ' +
      "`Creating#<request id>`; the host's agent makes it, and it runs (1), or fails (10) with everything given back. " +
      '`password` and `vnc_password` go to the agent only.',
    errors: [404],
    result: { vm: VmViewSchema },
  })
  async createVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateVmDto,
  ): Promise<{ vm: VmView }> {
    return { vm: await this.commands.execute(new CreateVmCommand(origin, actor, body)) };
  }

  @Get('vm/:VmUuid')
  @ApiDoc({
    summary: "get a virtual machine's detailed information",
    description: 'With its NICs, volumes and 20 latest tasks.',
    result: { vm: VmViewSchema },
  })
  async describeVm(@CurrentActor() actor: Actor, @UuidParam('VmUuid') vmUuid: string): Promise<{ vm: VmView }> {
    return { vm: await this.queries.execute(new DescribeVmQuery(actor, vmUuid)) };
  }

  @Patch('vm/:VmUuid')
  @ApiDoc({ summary: 'update a virtual machine', description: 'Its name and description.', result: OK })
  async updateVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Body() body: UpdateVmDto,
  ): Promise<typeof OK> {
    await this.commands.execute(new UpdateVmCommand(origin, actor, vmUuid, body));
    return OK;
  }

  @Delete('vm/:VmUuid')
  @ApiDoc({
    summary: 'delete a virtual machine',
    description:
      "A failed VM goes at once. Otherwise its host's agent deletes it (`Deleting#…`; the VM idle, its host reachable) " +
      'and it goes when that succeeds: its vCPUs and memory back to its host, its root volume deleted and its other ' +
      'volumes detached — deleted as well with `force_del=true` —, its primary NICs deleted and the others detached.',
    result: OK,
  })
  async deleteVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Query() query: DeleteVmParams,
  ): Promise<typeof OK> {
    const force = query.force_del === 'true' || query.force_del === '1';
    await this.commands.execute(new DeleteVmCommand(origin, actor, vmUuid, force));
    return OK;
  }

  @Put('vm/:VmUuid/start')
  @ApiDoc({ summary: 'start a virtual machine', description: "A stopped VM; its host's agent starts it.", result: OK })
  async startVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
  ): Promise<typeof OK> {
    await this.commands.execute(new PowerVmCommand(origin, actor, vmUuid, 'start'));
    return OK;
  }

  @Put('vm/:VmUuid/stop')
  @ApiDoc({ summary: 'stop a virtual machine', description: "A running VM; its host's agent stops it.", result: OK })
  async stopVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
  ): Promise<typeof OK> {
    await this.commands.execute(new PowerVmCommand(origin, actor, vmUuid, 'stop'));
    return OK;
  }

  @Put('vm/:VmUuid/attach_disk')
  @ApiDoc({
    summary: 'attach a volume to the virtual machine',
    description:
      "The caller's available volume, in the VM's cluster (on the VM's host, for local storage); at most 128 per VM. " +
      'It is in use from now; a failed task gives it back.',
    errors: [404],
    result: OK,
  })
  async attachVolumeToVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Body() body: AttachVolumeDto,
  ): Promise<typeof OK> {
    await this.commands.execute(new ChangeVmDeviceCommand(origin, actor, vmUuid, 'attach', 'volume', body.volume_uuid));
    return OK;
  }

  @Put('vm/:VmUuid/detach_disk')
  @ApiDoc({
    summary: 'detach a volume from the virtual machine',
    description: 'Not the root volume. It is available again when the task succeeds.',
    result: OK,
  })
  async detachVolumeFromVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Body() body: AttachVolumeDto,
  ): Promise<typeof OK> {
    await this.commands.execute(new ChangeVmDeviceCommand(origin, actor, vmUuid, 'detach', 'volume', body.volume_uuid));
    return OK;
  }

  @Put('vm/:VmUuid/attach_nic')
  @ApiDoc({
    summary: 'attach a network interface to the virtual machine',
    description: "The caller's free NIC, in a subnet of the VM's cluster; at most 16 per VM. A failed task gives it back.",
    errors: [404],
    result: OK,
  })
  async attachNicToVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Body() body: AttachNicDto,
  ): Promise<typeof OK> {
    await this.commands.execute(new ChangeVmDeviceCommand(origin, actor, vmUuid, 'attach', 'nic', body.nic_uuid));
    return OK;
  }

  @Put('vm/:VmUuid/detach_nic')
  @ApiDoc({
    summary: 'detach a network interface from the virtual machine',
    description: 'Not a primary NIC. It is free again when the task succeeds.',
    result: OK,
  })
  async detachNicFromVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Body() body: AttachNicDto,
  ): Promise<typeof OK> {
    await this.commands.execute(new ChangeVmDeviceCommand(origin, actor, vmUuid, 'detach', 'nic', body.nic_uuid));
    return OK;
  }

  @Put('vm/:VmUuid/migrate')
  @ApiDoc({
    summary: 'migrate a virtual machine to another host',
    description:
      'Administrators. To `target_host_uuid` (another host of its cluster, with room) or to the host the scheduler ' +
      "picks; a VM with volumes on local storage moves only with `migrate_local_disks: true`. The VM's host's agent " +
      "sends it (live, when running); it is on the target when the task succeeds, its old host's claim given back.",
    errors: [404],
    result: OK,
  })
  async migrateVm(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
    @Body() body: VmMigrateDto,
  ): Promise<typeof OK> {
    await this.commands.execute(new MigrateVmCommand(origin, actor, vmUuid, body));
    return OK;
  }

  @Get('vm/:VmUuid/vnc')
  @ApiDoc({
    summary: "get a virtual machine's VNC connection information",
    description:
      "A running VM's console: its host's address and port, and a one-time ticket that expires after " +
      'CHIME_VNC_TICKET_TTL seconds (60). The console proxy on the host redeems it once through the agent protocol.',
    result: { vnc: VmVncSchema },
  })
  async getVmVnc(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('VmUuid') vmUuid: string,
  ): Promise<{ vnc: VmVncView }> {
    return { vnc: await this.commands.execute(new IssueVncTicketCommand(origin, actor, vmUuid)) };
  }

  @Get('vm_statistic')
  @ApiDoc({
    summary: "get a virtual machine's overall statistical information",
    description: "Counts by state and what they claim, of the caller's own VMs (all of them, for administrators).",
    result: { vm_statistic: VmStatisticSchema },
  })
  async getVmStatistic(@CurrentActor() actor: Actor): Promise<{ vm_statistic: VmStatisticView }> {
    return { vm_statistic: await this.queries.execute(new GetVmStatisticQuery(actor)) };
  }
}
