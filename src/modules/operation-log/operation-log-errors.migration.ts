import { MigrationInterface, QueryRunner } from 'typeorm';
import { LOGIN_FAILED_ERROR } from './operation-log.projection';

/**
 * Issue 21: an entry keeps the error its request was answered, and failed changes become entries.
 * Entries made before are given what the projection now gives them, so that `verify:replay` holds:
 * a denial its reason (from its event), a failed login the login's one message.
 */
export class OperationLogErrors1764300014100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE operation_log ADD COLUMN error_code int, ADD COLUMN error_status text, ADD COLUMN error_message text',
    );
    await q.query(
      `UPDATE operation_log o SET error_code = 403, error_status = 'PERMISSION_DENIED', error_message = e.data->>'reason'
         FROM event_log e WHERE e.position = o.event_position AND e.type = 'AccessDenied'`,
    );
    await q.query(
      `UPDATE operation_log o SET error_code = $1, error_status = $2, error_message = $3
         FROM event_log e WHERE e.position = o.event_position AND e.type = 'LoginFailed'`,
      [LOGIN_FAILED_ERROR.code, LOGIN_FAILED_ERROR.status, LOGIN_FAILED_ERROR.message],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE operation_log DROP COLUMN error_message, DROP COLUMN error_status, DROP COLUMN error_code');
  }
}
