import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks the server carries out itself (a host's drain, migration or rebuild, TaskPort.track): they
 * show a host's progress in its `tasks` and `last_operation_*` like any task, but no agent is given
 * them. They are numbered below zero per node, so an agent's cursor (seq ≥ 0) and `task_head` never
 * see them.
 */
export class AddServerSideTasks1764300012500 implements MigrationInterface {
  name = 'AddServerSideTasks1764300012500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN server_side boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks DROP COLUMN server_side');
  }
}
