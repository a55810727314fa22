import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { UpdateUserRequest } from '@chime/contracts';
import { DomainEvent, UnitOfWork, type Origin } from '@chime/event-log';
import { DataSource } from 'typeorm';
import { changedFields } from '../../../platform/domain/changes';
import type { Actor } from '../../../platform/http/request-context';
import { UserPasswordChanged, UserUpdated } from '../identity.events';
import { Passwords } from '../passwords';
import { Sessions } from '../sessions';
import { lockActiveTokens, revokeTokens } from '../tokens';
import { USER_STREAM, UserEntity } from '../user.entity';
import { UserPolicy } from '../user.policy';
import { findUser, lockUser } from '../user.store';

export class UpdateUserCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
    readonly request: UpdateUserRequest,
  ) {
    super();
  }
}

/**
 * What a request really changes: ChimeStack clients resend the whole user, so a field equal to its
 * current value is no change (and needs no permission to "change"). A password always counts.
 */
function effectiveChanges(user: UserEntity, request: UpdateUserRequest): UpdateUserRequest {
  const current: UpdateUserRequest = { name: user.name, nick_name: user.nickName, avatar: user.avatar, role: user.role };
  return { ...changedFields(current, request), ...(request.password !== undefined && { password: request.password }) };
}

/**
 * Changes a user. A new password revokes all of the user's tokens; a new name or role reaches
 * the cached sessions of every server process at once. The permission check comes before the
 * password is hashed (hashing is the expensive part), and again under the row lock.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
  ) {}

  async execute({ origin, actor, uuid, request }: UpdateUserCommand): Promise<'ok'> {
    const before = await findUser(this.dataSource.manager, uuid);
    UserPolicy.assertMayUpdate(actor, before, effectiveChanges(before, request));
    const passwordHash = request.password === undefined ? undefined : await this.passwords.hash(request.password);
    const sessionsChanged = await this.uow.run(origin, async (tx) => {
      const user = await lockUser(tx.manager, uuid);
      const { password: _, ...changes } = effectiveChanges(user, request);
      UserPolicy.assertMayUpdate(actor, user, { ...changes, password: request.password });
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
