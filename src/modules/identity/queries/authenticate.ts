import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { AuthResult } from '@chime/contracts';
import { UnauthenticatedError } from '../../../platform/errors/domain-error';
import { Sessions } from '../sessions';

export class AuthenticateQuery extends Query<AuthResult> {
  constructor(readonly token: string) {
    super();
  }
}

/** Tells who a token belongs to, or 401 when it is not valid now. */
@QueryHandler(AuthenticateQuery)
export class AuthenticateHandler implements IQueryHandler<AuthenticateQuery> {
  constructor(private readonly sessions: Sessions) {}

  async execute({ token }: AuthenticateQuery): Promise<AuthResult> {
    const session = await this.sessions.resolve(token);
    if (!session) throw new UnauthenticatedError('the token is not valid: unknown, expired or revoked');
    return {
      user: {
        uuid: token,
        user_uuid: session.actor.uuid,
        name: session.actor.name,
        role: session.actor.role,
        created_at: session.createdAt.toISOString(),
        expired_at: session.expiresAt.toISOString(),
      },
    };
  }
}
