import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import type { UpdateVmRequest } from '../compute.contract';
import { VmUpdated } from '../compute.events';
import { changeableVm, changeVm } from '../vm.store';

export class UpdateVmCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly vmUuid: string,
    readonly request: UpdateVmRequest,
  ) {
    super();
  }
}

/** updateVm: its name and description (no task: nothing changes on the host). */
@CommandHandler(UpdateVmCommand)
export class UpdateVmHandler implements ICommandHandler<UpdateVmCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ origin, actor, vmUuid, request }: UpdateVmCommand): Promise<'ok'> {
    return this.uow.run(origin, async (tx) => {
      const vm = await changeableVm(tx, actor, vmUuid);
      const changes = {
        ...(request.name !== undefined ? { name: request.name } : {}),
        ...(request.description !== undefined ? { description: request.description } : {}),
      };
      if (Object.entries(changes).some(([key, value]) => vm[key as keyof typeof changes] !== value)) {
        await changeVm(tx, vm, changes, (changed) => new VmUpdated({ uuid: vm.uuid, changes: changed }));
      }
      return 'ok' as const;
    });
  }
}
