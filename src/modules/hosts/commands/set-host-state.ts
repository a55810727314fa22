import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { HostState } from '../host.contract';
import { HOST_STREAM, HostEntity } from '../host.entity';
import { HostStateChanged } from '../host.events';
import { lockHost, type HostPath } from '../host.store';

/**
 * enableHost / disableHost / suspendHost. A disabled host takes no new VMs, its VMs are managed as
 * usual; a suspended one is out of service (no new VMs, no operations on its VMs). Repeating one is
 * harmless: the state stays, and the request is still recorded.
 */
export class SetHostStateCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly path: HostPath,
    readonly state: HostState,
  ) {
    super();
  }
}

@CommandHandler(SetHostStateCommand)
export class SetHostStateHandler implements ICommandHandler<SetHostStateCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path, state }: SetHostStateCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const host = await lockHost(tx.manager, path);
      await tx.manager.update(HostEntity, { uuid: host.uuid }, { state, version: host.version + 1 });
      await tx.append({ type: HOST_STREAM, id: host.uuid }, host.version, [new HostStateChanged({ uuid: host.uuid, state })]);
    });
    return 'ok';
  }
}
