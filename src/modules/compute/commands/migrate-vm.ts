import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { PermissionDeniedError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { Role } from '@chime/contracts';
import type { VmMigrateRequest } from '../compute.contract';
import { changeableVm } from '../vm.store';
import { VmMoves } from '../vm-moves';

export class MigrateVmCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly vmUuid: string,
    readonly request: VmMigrateRequest,
  ) {
    super();
  }
}

/** migrateVm (administrators: moving VMs is about hosts): see VmMoves. */
@CommandHandler(MigrateVmCommand)
export class MigrateVmHandler implements ICommandHandler<MigrateVmCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly moves: VmMoves,
  ) {}

  execute({ origin, actor, vmUuid, request }: MigrateVmCommand): Promise<'ok'> {
    return this.uow.run(origin, async (tx) => {
      const vm = await changeableVm(tx, actor, vmUuid);
      if (actor.role < Role.Admin) throw new PermissionDeniedError('only administrators migrate VMs');
      await this.moves.migrate(tx, vm, {
        targetHostUuid: request.target_host_uuid,
        withLocalDisks: request.migrate_local_disks === true,
      });
      return 'ok' as const;
    });
  }
}
