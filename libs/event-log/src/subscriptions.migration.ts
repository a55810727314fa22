import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per durable consumer: its checkpoint in the log's read order, and its health. */
export class CreateEventSubscriptions1764300000500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_subscriptions (
        name                 text        PRIMARY KEY,
        last_transaction_id  xid8        NOT NULL DEFAULT '0',
        last_position        bigint      NOT NULL DEFAULT 0,
        handled              bigint      NOT NULL DEFAULT 0,
        failures             integer     NOT NULL DEFAULT 0,
        failed_position      bigint,
        last_error           text,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_subscriptions');
  }
}
