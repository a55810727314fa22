import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { Ownership } from '../../../platform/domain/ownership';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { NicState } from '../nic.contract';
import { NicLifecycle } from '../nic-lifecycle';
import { lockNic, nicNotFound } from '../nic.store';

export class DeleteNicCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/**
 * Deletes a NIC attached to no VM; its address goes back to the subnet at once. A NIC attached to
 * a VM (state 2) or being worked on (state 0) is refused, `force_del` or not: detach it first
 * (detachNicFromVm), or delete the VM (its primary NICs go with it).
 */
@CommandHandler(DeleteNicCommand)
export class DeleteNicHandler implements ICommandHandler<DeleteNicCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly lifecycle: NicLifecycle,
  ) {}

  async execute({ origin, actor, uuid }: DeleteNicCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const nic = await lockNic(tx.manager, uuid);
      Ownership.assertMayChange(actor, nic.userUuid, () => nicNotFound(uuid));
      if (nic.vmUuid) {
        throw new FailedPreconditionError(
          `network interface ${nic.name} (${uuid}) is attached to VM ${nic.vmUuid}; detach it first`,
        );
      }
      if (nic.state === NicState.Busy) {
        throw new FailedPreconditionError(
          `network interface ${nic.name} (${uuid}) is busy (${nic.operation || 'an operation runs'})`,
        );
      }
      await this.lifecycle.delete(tx, nic);
    });
    return 1;
  }
}
