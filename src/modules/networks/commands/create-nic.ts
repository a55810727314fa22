import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { Ownership } from '../../../platform/domain/ownership';
import type { Actor } from '../../../platform/http/request-context';
import type { CreateNicRequest, NicView } from '../nic.contract';
import { NicLifecycle } from '../nic-lifecycle';
import { NicViews } from '../nic.view';

export class CreateNicCommand extends Command<NicView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly request: CreateNicRequest,
  ) {
    super();
  }
}

/**
 * Creates a NIC: an address reservation in a subnet, attached to no VM (state 1). No agent is
 * involved; attaching it to a VM is the compute module's task. Anyone but a read-only
 * administrator may create one, in any subnet; it belongs to its creator.
 */
@CommandHandler(CreateNicCommand)
export class CreateNicHandler implements ICommandHandler<CreateNicCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly lifecycle: NicLifecycle,
    private readonly views: NicViews,
  ) {}

  execute({ origin, actor, request }: CreateNicCommand): Promise<NicView> {
    Ownership.assertMayCreate(actor);
    return this.uow.run(origin, async (tx) => this.views.one(tx.manager, await this.lifecycle.create(tx, actor, request)));
  }
}
