import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import type { UpdateInstanceSpecRequest } from '../instance-spec.contract';
import { INSTANCE_SPEC_STREAM, InstanceSpecEntity } from '../instance-spec.entity';
import { InstanceSpecUpdated } from '../instance-spec.events';
import { lockInstanceSpec } from '../instance-spec.store';
import { toInstanceSpecState } from '../instance-spec.view';

export class UpdateInstanceSpecCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
    readonly request: UpdateInstanceSpecRequest,
  ) {
    super();
  }
}

/** Fields left out (or sent as null, which the validation pipe drops) stay; resent values are no change. */
@CommandHandler(UpdateInstanceSpecCommand)
export class UpdateInstanceSpecHandler implements ICommandHandler<UpdateInstanceSpecCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid, request }: UpdateInstanceSpecCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const spec = await lockInstanceSpec(tx.manager, uuid);
      const changes = changedFields(toInstanceSpecState(spec), request);
      await tx.manager.update(
        InstanceSpecEntity,
        { uuid },
        {
          name: changes.name,
          description: changes.description,
          vcpus: changes.vcpus,
          memory: changes.memory,
          type: changes.type,
          version: spec.version + 1,
        },
      );
      await tx.append({ type: INSTANCE_SPEC_STREAM, id: uuid }, spec.version, [new InstanceSpecUpdated({ uuid, changes })]);
    });
    return 'ok';
  }
}
