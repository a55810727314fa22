import { Body, Controller, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiSchema, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { Role } from '@chime/contracts';
import { ApiDoc } from '../../platform/http/api-docs';
import { OptionalUuid } from '../../platform/http/resource-fields';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { MoveHostCommand } from './commands/move-host';
import { STEPS_IN_FLIGHT } from './host-moves.manager';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

@ApiSchema({ name: 'MigrateHostRequest' })
export class MigrateHostDto {
  @ApiPropertyOptional({
    description: 'true to migrate VMs with volumes on local storage too (copied); false (default) leaves them',
  })
  @IsOptional()
  @IsBoolean({ message: 'migrate_local_disk_vms must be true or false' })
  migrate_local_disk_vms?: boolean;

  @OptionalUuid(
    'target_host_uuid',
    'the host to move every VM to (another host of the cluster); the scheduler picks one per VM without it',
  )
  target_host_uuid?: string;
}

@ApiSchema({ name: 'RebuildHostRequest' })
export class RebuildHostDto {
  @OptionalUuid(
    'target_host_uuid',
    'the host to rebuild every VM on (another host of the cluster); the scheduler picks one per VM without it',
  )
  target_host_uuid?: string;
}

const OK = { host: 'ok' as const };
const PROGRESS =
  `The host's VMs are handled ${STEPS_IN_FLIGHT} at a time after the answer; the host shows the progress as a task ` +
  '(`tasks`, `last_operation_*`) that ends with the counts and each failure’s reason. One move per host at a time.';

/**
 * drainHost, migrateHost, rebuildHost (ChimeStack's Host family; the hosts module's routes share the
 * prefix): the compute module moves VMs, so it serves them. Administrators only.
 */
@ApiTags('host')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/host')
export class HostMovesController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':HostUuid/drain')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: "stop all host's virtual machines",
    description: `Stops every running VM of the host (its agent must be reachable). ${PROGRESS}`,
    errors: [404],
    result: OK,
  })
  drainHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
  ): Promise<typeof OK> {
    return this.commands.execute(new MoveHostCommand(origin, 'drain', { azUuid, clusterUuid, hostUuid }));
  }

  @Put(':HostUuid/migrate')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: "migrate all host's virtual machines to other hosts",
    description:
      'Migrates every VM of the host (live when running) to `target_host_uuid` or to the host the scheduler picks for ' +
      `each; VMs with volumes on local storage stay unless \`migrate_local_disk_vms\` is true. ${PROGRESS}`,
    errors: [404],
    result: OK,
  })
  migrateHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
    @Body() body: MigrateHostDto,
  ): Promise<typeof OK> {
    return this.commands.execute(
      new MoveHostCommand(
        origin,
        'migrate',
        { azUuid, clusterUuid, hostUuid },
        {
          targetHostUuid: body.target_host_uuid,
          migrateLocalDiskVms: body.migrate_local_disk_vms,
        },
      ),
    );
  }

  @Put(':HostUuid/rebuild')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: "rebuild all the host's virtual machines on other hosts",
    description:
      'For an unreachable host only (400 while it is reachable: migrate instead). Each VM is made again on ' +
      '`target_host_uuid` or the scheduler’s pick: volumes on shared pools are attached there; a root volume on local ' +
      'storage is made again from its image (its data is lost); other local volumes are failed and detached. The old ' +
      `host's agent is told to let the VMs go when it is back. ${PROGRESS}`,
    errors: [404],
    result: OK,
  })
  rebuildHost(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('HostUuid') hostUuid: string,
    @Body() body: RebuildHostDto,
  ): Promise<typeof OK> {
    return this.commands.execute(
      new MoveHostCommand(origin, 'rebuild', { azUuid, clusterUuid, hostUuid }, { targetHostUuid: body.target_host_uuid }),
    );
  }
}
