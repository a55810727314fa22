import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { SECURITY_GROUP_STREAM, SecurityGroupEntity } from '../security-group.entity';
import { SecurityGroupDeleted } from '../security-group.events';
import { changeableSecurityGroup } from '../security-group.store';

export class DeleteSecurityGroupCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/**
 * Deletes a group. NICs reference security_groups by a foreign key (the networks module's, ON
 * DELETE RESTRICT): a group a NIC uses fails on it, and that module maps the violation to a 400.
 */
@CommandHandler(DeleteSecurityGroupCommand)
export class DeleteSecurityGroupHandler implements ICommandHandler<DeleteSecurityGroupCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, uuid }: DeleteSecurityGroupCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const group = await changeableSecurityGroup(tx.manager, actor, uuid);
      await tx.manager.delete(SecurityGroupEntity, { uuid });
      await tx.append({ type: SECURITY_GROUP_STREAM, id: uuid }, group.version, [new SecurityGroupDeleted({ uuid })]);
    });
    return 1;
  }
}
