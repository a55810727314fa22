import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { AZ_STREAM, AzEntity } from '../az.entity';
import { AzDeleted } from '../az.events';
import { lockAz } from '../az.store';

export class DeleteAzCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
  ) {
    super();
  }
}

/**
 * Deletes an AZ. One that still holds clusters is refused by the database itself (the clusters'
 * foreign key, described as FAILED_PRECONDITION by the clusters module), so a cluster created at
 * the same moment can never be left in a deleted AZ.
 */
@CommandHandler(DeleteAzCommand)
export class DeleteAzHandler implements ICommandHandler<DeleteAzCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid }: DeleteAzCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const az = await lockAz(tx.manager, uuid);
      await tx.manager.delete(AzEntity, { uuid });
      await tx.append({ type: AZ_STREAM, id: uuid }, az.version, [new AzDeleted({ uuid })]);
    });
    return 1;
  }
}
