import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOperationLog1764300004000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operation_log (
        -- 1, 2, 3 … in the event log's read order, given by the projection (see OperationLogProjection).
        id              bigint      PRIMARY KEY,
        created_at      timestamptz NOT NULL,
        method          text        NOT NULL,
        path            text        NOT NULL,
        input           text        NOT NULL,
        ip              text        NOT NULL,
        user_uuid       uuid,
        user_name       text,
        request_id      uuid        NOT NULL,
        outcome         text        NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
        event_position  bigint      NOT NULL,
        -- One entry per request, however many events it caused.
        CONSTRAINT operation_log_request_key UNIQUE (request_id)
      )`);
    await q.query('CREATE INDEX operation_log_created_at_idx ON operation_log (created_at, id)');
    await q.query('CREATE INDEX operation_log_user_idx ON operation_log (user_uuid, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE operation_log');
  }
}
