import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { InstanceSpecState, type CreateInstanceSpecRequest, type InstanceSpecView } from '../instance-spec.contract';
import { INSTANCE_SPEC_DEFAULTS } from '../instance-spec.dto';
import { INSTANCE_SPEC_STREAM, InstanceSpecEntity } from '../instance-spec.entity';
import { InstanceSpecCreated } from '../instance-spec.events';
import { toInstanceSpecState, toInstanceSpecView } from '../instance-spec.view';

export class CreateInstanceSpecCommand extends Command<InstanceSpecView> {
  constructor(
    readonly origin: Origin,
    readonly request: CreateInstanceSpecRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateInstanceSpecCommand)
export class CreateInstanceSpecHandler implements ICommandHandler<CreateInstanceSpecCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ origin, request }: CreateInstanceSpecCommand): Promise<InstanceSpecView> {
    return this.uow.run(origin, async (tx) => {
      const spec: InstanceSpecEntity = {
        uuid: randomUUID(),
        name: request.name,
        description: request.description ?? INSTANCE_SPEC_DEFAULTS.description,
        vcpus: request.vcpus,
        memory: request.memory,
        type: request.type ?? INSTANCE_SPEC_DEFAULTS.type,
        state: InstanceSpecState.Available,
        clusterCount: 0,
        version: 1,
        createdAt: new Date(),
      };
      // A taken name (whatever its case) fails on the unique index and leaves as ALREADY_EXISTS.
      await tx.manager.insert(InstanceSpecEntity, spec);
      await tx.append({ type: INSTANCE_SPEC_STREAM, id: spec.uuid }, 0, [new InstanceSpecCreated(toInstanceSpecState(spec))]);
      return toInstanceSpecView(spec);
    });
  }
}
