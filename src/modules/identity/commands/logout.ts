import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { hashToken, Sessions } from '../sessions';
import { TokenEntity } from '../token.entity';
import { revokeTokens } from '../tokens';

export class LogoutCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly token: string,
  ) {
    super();
  }
}

/** Revokes a token everywhere. Logging out a token that is unknown, expired or already revoked is also "ok". */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: Sessions,
  ) {}

  async execute({ origin, token }: LogoutCommand): Promise<'ok'> {
    const session = await this.sessions.resolve(token);
    if (!session) return 'ok';
    const tokenHash = hashToken(token);
    await this.uow.run({ ...origin, user_uuid: session.actor.uuid, user_name: session.actor.name }, async (tx) => {
      const entity = await tx.manager.findOne(TokenEntity, { where: { hash: tokenHash }, lock: { mode: 'pessimistic_write' } });
      if (!entity || entity.revokedAt) return;
      await revokeTokens(tx, [entity], 'logout');
      await this.sessions.announceRevocation(tx.manager, { tokenHash });
    });
    this.sessions.forget({ tokenHash });
    return 'ok';
  }
}
