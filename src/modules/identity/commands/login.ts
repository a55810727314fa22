import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LoginResult } from '@chime/contracts';
import { UnitOfWork, type Transaction, type Origin } from '@chime/event-log';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { UnauthenticatedError } from '../../../platform/errors/domain-error';
import { LoginThrottle } from '../login-throttle';
import { Passwords } from '../passwords';
import { issueToken } from '../tokens';
import { UserPasswordRehashed } from '../identity.events';
import { USER_STREAM, UserEntity } from '../user.entity';

export class LoginCommand extends Command<LoginResult> {
  constructor(
    readonly origin: Origin,
    readonly userName: string,
    readonly password: string,
    readonly ip: string,
  ) {
    super();
  }
}

/** Checks the credentials and opens a session; wrong name and wrong password look the same. */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ origin, userName, password, ip }: LoginCommand): Promise<LoginResult> {
    // Before the user lookup and argon2: a throttled attempt costs neither.
    await this.throttle.admit(userName, ip);
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .where('lower(user.name) = lower(:userName)', { userName })
      .getOne();
    if (!(await this.passwords.verify(user?.passwordHash, password)) || !user) {
      // Already counted by admit(): a wrong name and a wrong password take the same path.
      throw new UnauthenticatedError('wrong user name or password');
    }
    await this.throttle.recordSuccess(userName, ip);
    // A hash imported from ChimeStack (bcrypt) becomes argon2id now that the password is known.
    const rehashed = this.passwords.needsRehash(user.passwordHash) ? await this.passwords.hash(password) : undefined;
    const { token, entity } = await this.uow.run({ ...origin, user_uuid: user.uuid, user_name: user.name }, async (tx) => {
      if (rehashed) await rehash(tx, user, rehashed);
      return issueToken(tx, user.uuid, this.config.CHIME_TOKEN_TTL);
    });
    return {
      user: {
        uuid: token,
        user_uuid: user.uuid,
        created_at: entity.createdAt.toISOString(),
        expired_at: entity.expiresAt.toISOString(),
      },
    };
  }
}

/** Replaces the hash the user logged in with, unless a concurrent login or a password change did first. */
async function rehash(tx: Transaction, user: UserEntity, passwordHash: string): Promise<void> {
  const current = await tx.manager.findOne(UserEntity, { where: { uuid: user.uuid }, lock: { mode: 'pessimistic_write' } });
  if (!current || current.passwordHash !== user.passwordHash) return;
  await tx.manager.update(UserEntity, { uuid: user.uuid }, { passwordHash, version: current.version + 1 });
  await tx.append({ type: USER_STREAM, id: user.uuid }, current.version, [
    new UserPasswordRehashed({ uuid: user.uuid, scheme: 'argon2id' }),
  ]);
}
