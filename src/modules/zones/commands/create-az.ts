import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LIMITS, State, type AzView, type CreateAzRequest } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { LimitExceededError } from '../../../platform/errors/domain-error';
import { AZ_STREAM, AzEntity } from '../az.entity';
import { AzCreated } from '../az.events';
import { toAzView } from '../az.view';

/** Any constant: creations of AZs take turns on it, so the limit holds under concurrency. */
const AZ_CREATION_LOCK = 0x617a6c6d; // "azlm"

export class CreateAzCommand extends Command<AzView> {
  constructor(
    readonly origin: Origin,
    readonly request: CreateAzRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateAzCommand)
export class CreateAzHandler implements ICommandHandler<CreateAzCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ origin, request }: CreateAzCommand): Promise<AzView> {
    return this.uow.run(origin, async (tx) => {
      await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [AZ_CREATION_LOCK]);
      if ((await tx.manager.count(AzEntity)) >= LIMITS.availabilityZones) {
        throw new LimitExceededError(`at most ${LIMITS.availabilityZones} availability zones`);
      }
      const az: AzEntity = {
        uuid: randomUUID(),
        name: request.name,
        description: request.description ?? '',
        parent: request.parent ?? '',
        state: State.Enabled,
        version: 1,
        createdAt: new Date(),
      };
      // A taken name fails on the unique index and leaves as ALREADY_EXISTS.
      await tx.manager.insert(AzEntity, az);
      await tx.append({ type: AZ_STREAM, id: az.uuid }, 0, [new AzCreated(toAzView(az))]);
      return toAzView(az);
    });
  }
}
