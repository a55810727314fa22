import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { State } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { AZ_STREAM, AzEntity } from '../az.entity';
import { AzDisabled, AzEnabled } from '../az.events';
import { lockAz } from '../az.store';

/** enableAz / disableAz. Repeating one is harmless: the state stays, and the request is still recorded. */
export class SetAzStateCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
    readonly state: State,
  ) {
    super();
  }
}

@CommandHandler(SetAzStateCommand)
export class SetAzStateHandler implements ICommandHandler<SetAzStateCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid, state }: SetAzStateCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const az = await lockAz(tx.manager, uuid);
      await tx.manager.update(AzEntity, { uuid }, { state, version: az.version + 1 });
      const event = state === State.Enabled ? new AzEnabled({ uuid }) : new AzDisabled({ uuid });
      await tx.append({ type: AZ_STREAM, id: uuid }, az.version, [event]);
    });
    return 'ok';
  }
}
