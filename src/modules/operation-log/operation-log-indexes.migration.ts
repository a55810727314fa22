import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reading a large operation log (issue 13): each exact filter, with the default order
 * (created_at, id) after it, so that a filtered page reads its rows in order from the index and
 * stops after the page instead of sorting every match; `path_prefix` (LIKE 'x%') needs the
 * C-ordered operator class whatever the database's collation. The (user_uuid, created_at) index is
 * replaced by one with the tie-break too. request_id already has its unique index.
 */
export class IndexOperationLog1764300004100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX operation_log_user_idx');
    await q.query('CREATE INDEX operation_log_user_idx ON operation_log (user_uuid, created_at, id)');
    await q.query('CREATE INDEX operation_log_method_idx ON operation_log (method, created_at, id)');
    await q.query('CREATE INDEX operation_log_outcome_idx ON operation_log (outcome, created_at, id)');
    await q.query('CREATE INDEX operation_log_path_idx ON operation_log (path text_pattern_ops, created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX operation_log_path_idx');
    await q.query('DROP INDEX operation_log_outcome_idx');
    await q.query('DROP INDEX operation_log_method_idx');
    await q.query('DROP INDEX operation_log_user_idx');
    await q.query('CREATE INDEX operation_log_user_idx ON operation_log (user_uuid, created_at)');
  }
}
