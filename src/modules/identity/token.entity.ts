import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TOKEN_STREAM = 'token';

/**
 * A login session. The bearer token itself is never stored: only its SHA-256 (`hash`), so a dump
 * of the database holds no usable token. `id` names the session in events and logs.
 */
@Entity({ name: 'tokens' })
export class TokenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  hash!: string;

  @Column('uuid', { name: 'user_uuid' })
  userUuid!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('integer')
  version!: number;
}
