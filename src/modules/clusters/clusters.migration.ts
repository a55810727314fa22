import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClusters1764300003000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clusters (
        uuid             uuid        PRIMARY KEY,
        az_uuid          uuid        NOT NULL,
        name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description      text        NOT NULL DEFAULT '',
        arch             text        NOT NULL,
        hypervisor_type  text        NOT NULL,
        type             smallint    NOT NULL CHECK (type IN (0, 1, 2)),
        state            smallint    NOT NULL CHECK (state IN (0, 1)),
        version          integer     NOT NULL,
        created_at       timestamptz NOT NULL,
        -- An AZ that holds clusters cannot be deleted: the database refuses it, race-free.
        CONSTRAINT clusters_az_uuid_fkey FOREIGN KEY (az_uuid) REFERENCES availability_zones (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX clusters_az_name_key ON clusters (az_uuid, lower(name))');
    await q.query('CREATE INDEX clusters_az_created_at_idx ON clusters (az_uuid, created_at, uuid)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE clusters');
  }
}
