import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { CreateVmHandler } from './commands/create-vm';
import { DeleteVmHandler } from './commands/delete-vm';
import { IssueVncTicketHandler, RedeemVncTicketHandler } from './commands/issue-vnc-ticket';
import { MigrateVmHandler } from './commands/migrate-vm';
import { PowerVmHandler } from './commands/power-vm';
import { UpdateVmHandler } from './commands/update-vm';
import { ChangeVmDeviceHandler } from './commands/vm-devices';
import { COMPUTE_IMPORTER } from './compute.importer';
import { CreateCompute1764300012000 } from './compute.migration';
import { VM_REPLAY } from './compute.replay';
import { ComputeTaskOutcomes } from './compute-task-outcomes';
import { DescribeVmHandler, GetVmStatisticHandler, ListVmsHandler } from './queries/vm-queries';
import { VmContributions } from './vm-contributions';
import { VmEntity, VmVncTicketEntity, VmVolumeEntity } from './vm.entity';
import { VmLifecycle } from './vm-lifecycle';
import { VmMoves } from './vm-moves';
import { VmTasks } from './vm-tasks';
import { VmViews } from './vm-views';
import { VmsController } from './vms.controller';
import { VncAgentController } from './vnc-agent.controller';
import { MoveHostHandler } from './commands/move-host';
import { HostMoveEntity, HostMoveVmEntity } from './host-move.entity';
import { HostMovesController } from './host-moves.controller';
import { HostMovesManager } from './host-moves.manager';
import { CreateHostMoves1764300013000 } from './host-moves.migration';
import { HOST_MOVE_REPLAY } from './host-moves.replay';

/**
 * Compute (ChimeStack's Compute family): VMs placed by the scheduler (SchedulerPort) on hosts
 * whose vCPUs and memory they claim (HostPort), with volumes from storage (StoragePort) and NICs
 * from networks (NicPort). Work on a VM is a task for its host's agent (TaskPort); outcomes are
 * applied by ComputeTaskOutcomes in the transaction that ends each task.
 */
@FeatureModule({
  entities: [VmEntity, VmVolumeEntity, VmVncTicketEntity, HostMoveEntity, HostMoveVmEntity],
  migrations: [CreateCompute1764300012000, CreateHostMoves1764300013000],
  replay: [streamReplay(VM_REPLAY), streamReplay(HOST_MOVE_REPLAY)],
  importers: [COMPUTE_IMPORTER],
  controllers: [VmsController, VncAgentController, HostMovesController],
  providers: [
    VmViews,
    VmTasks,
    VmMoves,
    VmLifecycle,
    VmContributions,
    ComputeTaskOutcomes,
    MoveHostHandler,
    HostMovesManager,
    CreateVmHandler,
    UpdateVmHandler,
    DeleteVmHandler,
    PowerVmHandler,
    ChangeVmDeviceHandler,
    MigrateVmHandler,
    IssueVncTicketHandler,
    RedeemVncTicketHandler,
    ListVmsHandler,
    DescribeVmHandler,
    GetVmStatisticHandler,
  ],
})
export class ComputeModule {}
