import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log. `transaction_id` is the id of the transaction that wrote the row
 * (filled by PostgreSQL); readers order by (transaction_id, position), see EventStore.read.
 */
export class CreateEventLog1764300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_log (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_type     text        NOT NULL,
        stream_id       text        NOT NULL,
        version         integer     NOT NULL CHECK (version > 0),
        type            text        NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_log_stream_version_key UNIQUE (stream_type, stream_id, version)
      )`);
    await q.query('CREATE INDEX event_log_read_order_idx ON event_log (transaction_id, position)');
    await q.query('CREATE INDEX event_log_type_idx ON event_log (type, transaction_id, position)');
    // Append-only: the log is history, so updates and deletes are refused by the database itself.
    await q.query(`
      CREATE FUNCTION event_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log
      FOR EACH ROW EXECUTE FUNCTION event_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_log');
    await q.query('DROP FUNCTION event_log_refuse_change()');
  }
}
