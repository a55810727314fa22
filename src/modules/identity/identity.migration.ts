import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1764300001000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        uuid                   uuid        PRIMARY KEY,
        name                   text        NOT NULL,
        nick_name              text        NOT NULL DEFAULT '',
        avatar                 text        NOT NULL DEFAULT '',
        role                   smallint    NOT NULL CHECK (role BETWEEN 0 AND 3),
        password_hash          text        NOT NULL,
        default_az_uuid        uuid,
        default_clusters_uuid  uuid,
        version                integer     NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX users_name_key ON users (lower(name))');
    // There is exactly one super administrator.
    await q.query('CREATE UNIQUE INDEX users_one_super_admin_key ON users ((true)) WHERE role = 3');
    await q.query('CREATE INDEX users_created_at_idx ON users (created_at, uuid)');
    await q.query(`
      CREATE TABLE tokens (
        id          uuid        PRIMARY KEY,
        hash        text        NOT NULL,
        user_uuid   uuid        NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        revoked_at  timestamptz,
        version     integer     NOT NULL,
        CONSTRAINT tokens_hash_key UNIQUE (hash)
      )`);
    await q.query('CREATE INDEX tokens_user_active_idx ON tokens (user_uuid) WHERE revoked_at IS NULL');
    await q.query('CREATE INDEX tokens_expires_at_idx ON tokens (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tokens');
    await q.query('DROP TABLE users');
  }
}
