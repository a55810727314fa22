import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { Ownership } from '../../../platform/domain/ownership';
import type { Actor } from '../../../platform/http/request-context';
import type { UpdateNicRequest } from '../nic.contract';
import { NicLifecycle } from '../nic-lifecycle';
import { lockNic, nicNotFound } from '../nic.store';

export class UpdateNicCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
    readonly request: UpdateNicRequest,
  ) {
    super();
  }
}

/** A NIC's name and description, whatever its state. */
@CommandHandler(UpdateNicCommand)
export class UpdateNicHandler implements ICommandHandler<UpdateNicCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly lifecycle: NicLifecycle,
  ) {}

  async execute({ origin, actor, uuid, request }: UpdateNicCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const nic = await lockNic(tx.manager, uuid);
      Ownership.assertMayChange(actor, nic.userUuid, () => nicNotFound(uuid));
      await this.lifecycle.change(tx, nic, { name: request.name, description: request.description });
    });
    return 'ok';
  }
}
