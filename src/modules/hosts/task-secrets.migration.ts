import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasks carry secrets for their agent only (a VM's passwords), cleared when the task ends. */
export class AddTaskSecrets1764300011500 implements MigrationInterface {
  name = 'AddTaskSecrets1764300011500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN secrets jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks DROP COLUMN secrets');
  }
}
