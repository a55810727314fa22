import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { UserDeleted } from '../identity.events';
import { Sessions } from '../sessions';
import { lockActiveTokens, revokeTokens } from '../tokens';
import { USER_STREAM, UserEntity } from '../user.entity';
import { UserPolicy } from '../user.policy';
import { lockUser } from '../user.store';

export class DeleteUserCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/** Deletes a user and revokes its tokens; the name may be used again afterwards. */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: Sessions,
  ) {}

  async execute({ origin, actor, uuid }: DeleteUserCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const user = await lockUser(tx.manager, uuid);
      UserPolicy.assertMayDelete(actor, user);
      await revokeTokens(tx, await lockActiveTokens(tx, uuid), 'user_deleted');
      await tx.append({ type: USER_STREAM, id: uuid }, user.version, [new UserDeleted({ uuid })]);
      await tx.manager.delete(UserEntity, { uuid });
      await this.sessions.announceRevocation(tx.manager, { userUuid: uuid });
    });
    this.sessions.forget({ userUuid: uuid });
    return 1;
  }
}
