import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { VmState } from '../compute.contract';
import { changeableVm } from '../vm.store';
import { assertVmState, VmTasks } from '../vm-tasks';

export class PowerVmCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly vmUuid: string,
    readonly operation: 'start' | 'stop',
  ) {
    super();
  }
}

/**
 * startVm (a stopped VM) and stopVm (a running one): a `vm/start` or `vm/stop` task for its host's
 * agent; the VM is running or stopped when the task succeeds.
 */
@CommandHandler(PowerVmCommand)
export class PowerVmHandler implements ICommandHandler<PowerVmCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly vmTasks: VmTasks,
  ) {}

  execute({ origin, actor, vmUuid, operation }: PowerVmCommand): Promise<'ok'> {
    return this.uow.run(origin, async (tx) => {
      const vm = await changeableVm(tx, actor, vmUuid);
      if (operation === 'start') assertVmState(vm, [VmState.Stopped], 'started');
      else assertVmState(vm, [VmState.Running], 'stopped');
      await this.vmTasks.start(tx, vm, operation, {});
      return 'ok' as const;
    });
  }
}
