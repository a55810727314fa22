import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LoginResult } from '@chime/contracts';
import { UnitOfWork } from '@chime/event-log';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { UnauthenticatedError } from '../../../platform/errors/domain-error';
import { LoginThrottle } from '../login-throttle';
import { Passwords } from '../passwords';
import { issueToken } from '../tokens';
import { UserEntity } from '../user.entity';

export class LoginCommand extends Command<LoginResult> {
  constructor(
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

  async execute({ userName, password, ip }: LoginCommand): Promise<LoginResult> {
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
    const { token, entity } = await this.uow.run((tx) => issueToken(tx, user.uuid, this.config.CHIME_TOKEN_TTL), {
      user_uuid: user.uuid,
      user_name: user.name,
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
