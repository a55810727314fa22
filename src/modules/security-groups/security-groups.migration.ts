import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security groups with their rules (two jsonb lists). No foreign key to users: like volumes, a
 * group keeps its owner's uuid. NICs reference this table (the networks module's own key).
 */
export class CreateSecurityGroups1764300010000 implements MigrationInterface {
  name = 'CreateSecurityGroups1764300010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_groups (
        uuid           uuid        PRIMARY KEY,
        name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description    text        NOT NULL,
        user_uuid      uuid        NOT NULL,
        ingress_rules  jsonb       NOT NULL CHECK (jsonb_typeof(ingress_rules) = 'array'),
        egress_rules   jsonb       NOT NULL CHECK (jsonb_typeof(egress_rules) = 'array'),
        version        integer     NOT NULL,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL
      )`);
    await q.query('CREATE UNIQUE INDEX security_groups_name_key ON security_groups (user_uuid, lower(name))');
    await q.query('CREATE INDEX security_groups_user_idx ON security_groups (user_uuid, created_at)');
    await q.query('CREATE INDEX security_groups_created_at_idx ON security_groups (created_at, uuid)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE security_groups');
  }
}
