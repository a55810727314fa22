import { randomUUID } from 'node:crypto';
import type { Transaction } from '@chime/event-log';
import { MoreThan, IsNull } from 'typeorm';
import { TokenIssued, TokenRevoked } from './identity.events';
import { hashToken } from './sessions';
import { TOKEN_STREAM, TokenEntity } from './token.entity';

/** Writes a new session for a user; returns the bearer token (the only time it exists in clear). */
export async function issueToken(
  tx: Transaction,
  userUuid: string,
  ttlSeconds: number,
): Promise<{ token: string; entity: TokenEntity }> {
  const token = randomUUID();
  const createdAt = new Date();
  const entity: TokenEntity = {
    id: randomUUID(),
    hash: hashToken(token),
    userUuid,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + ttlSeconds * 1000),
    revokedAt: null,
    version: 1,
  };
  await tx.manager.insert(TokenEntity, entity);
  await tx.append({ type: TOKEN_STREAM, id: entity.id }, 0, [
    new TokenIssued({
      id: entity.id,
      user_uuid: userUuid,
      created_at: createdAt.toISOString(),
      expired_at: entity.expiresAt.toISOString(),
    }),
  ]);
  return { token, entity };
}

/** A user's sessions that still work, locked for revocation. */
export function lockActiveTokens(tx: Transaction, userUuid: string): Promise<TokenEntity[]> {
  return tx.manager.find(TokenEntity, {
    where: { userUuid, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    lock: { mode: 'pessimistic_write' },
    order: { id: 'ASC' },
  });
}

export async function revokeTokens(
  tx: Transaction,
  tokens: TokenEntity[],
  reason: TokenRevoked['data']['reason'],
): Promise<void> {
  const now = new Date();
  for (const token of tokens) {
    await tx.manager.update(TokenEntity, { id: token.id }, { revokedAt: now, version: token.version + 1 });
    await tx.append({ type: TOKEN_STREAM, id: token.id }, token.version, [
      new TokenRevoked({ id: token.id, user_uuid: token.userUuid, reason }),
    ]);
  }
}
