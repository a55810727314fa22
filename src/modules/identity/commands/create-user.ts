import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Role, type CreateUserRequest, type UserView } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { UserCreated } from '../identity.events';
import { Passwords } from '../passwords';
import { USER_STREAM, UserEntity } from '../user.entity';
import { UserPolicy } from '../user.policy';
import { toUserState, toUserView } from '../user.view';

export class CreateUserCommand extends Command<UserView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly request: CreateUserRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: Passwords,
  ) {}

  async execute({ origin, actor, request }: CreateUserCommand): Promise<UserView> {
    const role = request.role ?? Role.User;
    UserPolicy.assertMayCreate(actor, role);
    const passwordHash = await this.passwords.hash(request.password);
    return this.uow.run(origin, async (tx) => {
      const user: UserEntity = {
        uuid: randomUUID(),
        name: request.name,
        nickName: request.nick_name,
        avatar: request.avatar ?? '',
        role,
        passwordHash,
        defaultAzUuid: null,
        defaultClustersUuid: null,
        version: 1,
        createdAt: new Date(),
      };
      // A taken name fails on the unique index (users_name_key) and leaves as ALREADY_EXISTS.
      await tx.manager.insert(UserEntity, user);
      await tx.append({ type: USER_STREAM, id: user.uuid }, 0, [new UserCreated(toUserState(user))]);
      return toUserView(user);
    });
  }
}
