import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { UpdateUserRequest } from '@chime/contracts';
import { DomainEvent, UnitOfWork } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { UserPasswordChanged, UserUpdated } from '../identity.events';
import { Passwords } from '../passwords';
import { Sessions } from '../sessions';
import { lockActiveTokens, revokeTokens } from '../tokens';
import { USER_STREAM, UserEntity } from '../user.entity';
import { UserPolicy } from '../user.policy';
import { lockUser } from '../user.store';

export class UpdateUserCommand extends Command<'ok'> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
    readonly request: UpdateUserRequest,
  ) {
    super();
  }
}

/**
 * Changes a user. A new password revokes all of the user's tokens; a new name or role reaches
 * the cached sessions of every server process at once.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
  ) {}

  async execute({ actor, uuid, request }: UpdateUserCommand): Promise<'ok'> {
    const passwordHash = request.password === undefined ? undefined : await this.passwords.hash(request.password);
    const sessionsChanged = await this.uow.run(async (tx) => {
      const user = await lockUser(tx.manager, uuid);
      UserPolicy.assertMayUpdate(actor, user, request);
      const changes: UserUpdated['data']['changes'] = {};
      if (request.name !== undefined && request.name !== user.name) changes.name = request.name;
      if (request.nick_name !== undefined && request.nick_name !== user.nickName) changes.nick_name = request.nick_name;
      if (request.avatar !== undefined && request.avatar !== user.avatar) changes.avatar = request.avatar;
      if (request.role !== undefined && request.role !== user.role) changes.role = request.role;
      // Every accepted request is recorded, even one that changes nothing.
      const events: DomainEvent[] = [];
      if (Object.keys(changes).length > 0 || passwordHash === undefined) events.push(new UserUpdated({ uuid, changes }));
      if (passwordHash !== undefined) events.push(new UserPasswordChanged({ uuid }));

      const update: Partial<UserEntity> = {
        name: changes.name,
        nickName: changes.nick_name,
        avatar: changes.avatar,
        role: changes.role,
        passwordHash,
        version: user.version + events.length,
      };
      await tx.manager.update(UserEntity, { uuid }, update);
      await tx.append({ type: USER_STREAM, id: uuid }, user.version, events);
      if (passwordHash !== undefined) await revokeTokens(tx, await lockActiveTokens(tx, uuid), 'password_changed');
      const changed = passwordHash !== undefined || changes.name !== undefined || changes.role !== undefined;
      if (changed) await this.sessions.announceRevocation(tx.manager, { userUuid: uuid });
      return changed;
    });
    if (sessionsChanged) this.sessions.forget({ userUuid: uuid });
    return 'ok';
  }
}
