import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { VmState } from '../compute.contract';
import { VmLifecycle } from '../vm-lifecycle';
import { changeableVm, volumesOf } from '../vm.store';
import { VmTasks } from '../vm-tasks';

export class DeleteVmCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly vmUuid: string,
    readonly force: boolean,
  ) {
    super();
  }
}

/**
 * deleteVm: a failed VM goes at once (it holds nothing). Otherwise a `vm/delete` task for its host's
 * agent (the VM idle, its host reachable); when it succeeds the VM goes, its claim back to its host,
 * its root volume deleted and the others detached (deleted too with `force_del=true`), its primary
 * NICs deleted and the others detached.
 */
@CommandHandler(DeleteVmCommand)
export class DeleteVmHandler implements ICommandHandler<DeleteVmCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly vmTasks: VmTasks,
    private readonly lifecycle: VmLifecycle,
  ) {}

  execute({ origin, actor, vmUuid, force }: DeleteVmCommand): Promise<'ok'> {
    return this.uow.run(origin, async (tx) => {
      const vm = await changeableVm(tx, actor, vmUuid);
      if (vm.state === VmState.Failed) {
        await this.lifecycle.remove(tx, vm, force);
        return 'ok' as const;
      }
      const volumes = await volumesOf(tx.manager, vm.uuid);
      await this.vmTasks.start(tx, vm, 'delete', {
        force_del: force,
        volumes: volumes.map((volume) => volume.volumeUuid),
      });
      return 'ok' as const;
    });
  }
}
