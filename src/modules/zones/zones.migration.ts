import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateZones1764300002000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE availability_zones (
        uuid         uuid        PRIMARY KEY,
        name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description  text        NOT NULL DEFAULT '',
        parent       text        NOT NULL DEFAULT '',
        state        smallint    NOT NULL CHECK (state IN (0, 1)),
        version      integer     NOT NULL,
        created_at   timestamptz NOT NULL
      )`);
    await q.query('CREATE UNIQUE INDEX availability_zones_name_key ON availability_zones (lower(name))');
    await q.query('CREATE INDEX availability_zones_created_at_idx ON availability_zones (created_at, uuid)');
    await q.query('CREATE INDEX availability_zones_state_idx ON availability_zones (state, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE availability_zones');
  }
}
