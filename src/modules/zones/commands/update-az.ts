import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { UpdateAzRequest } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import { AZ_STREAM, AzEntity } from '../az.entity';
import { AzUpdated } from '../az.events';
import { lockAz } from '../az.store';

export class UpdateAzCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
    readonly request: UpdateAzRequest,
  ) {
    super();
  }
}

@CommandHandler(UpdateAzCommand)
export class UpdateAzHandler implements ICommandHandler<UpdateAzCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid, request }: UpdateAzCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const az = await lockAz(tx.manager, uuid);
      const changes = changedFields({ name: az.name, description: az.description }, request);
      await tx.manager.update(AzEntity, { uuid }, { ...changes, version: az.version + 1 });
      await tx.append({ type: AZ_STREAM, id: uuid }, az.version, [new AzUpdated({ uuid, changes })]);
    });
    return 'ok';
  }
}
