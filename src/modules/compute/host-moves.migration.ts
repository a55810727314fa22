import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Host moves (drainHost, migrateHost, rebuildHost) and their VMs' steps: the process manager's
 * state. At most one running move per host (a partial unique index; the request checks first).
 */
export class CreateHostMoves1764300013000 implements MigrationInterface {
  name = 'CreateHostMoves1764300013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE host_moves (
        uuid                    uuid        PRIMARY KEY,
        host_uuid               uuid        NOT NULL,
        cluster_uuid            uuid        NOT NULL,
        kind                    text        NOT NULL CHECK (kind IN ('drain', 'migrate', 'rebuild')),
        target_host_uuid        text        NOT NULL,
        migrate_local_disk_vms  boolean     NOT NULL,
        task_uuid               uuid        NOT NULL,
        state                   text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
        total                   integer     NOT NULL,
        succeeded               integer     NOT NULL,
        failed                  integer     NOT NULL,
        skipped                 integer     NOT NULL,
        version                 integer     NOT NULL,
        created_at              timestamptz NOT NULL,
        finished_at             timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX host_moves_running_key ON host_moves (host_uuid) WHERE state = 'running'`);
    await q.query(`
      CREATE TABLE host_move_vms (
        move_uuid         uuid    NOT NULL REFERENCES host_moves (uuid) ON DELETE CASCADE,
        vm_uuid           uuid    NOT NULL,
        position          integer NOT NULL,
        state             text    NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
        task_uuid         text    NOT NULL,
        target_host_uuid  text    NOT NULL,
        message           text    NOT NULL,
        PRIMARY KEY (move_uuid, vm_uuid)
      )`);
    await q.query(`CREATE INDEX host_move_vms_task_idx ON host_move_vms (task_uuid) WHERE state = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE host_move_vms');
    await q.query('DROP TABLE host_moves');
  }
}
