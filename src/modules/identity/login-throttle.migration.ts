import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed-login counters, shared by every server process on the database (see login-throttle.ts).
 * Not event-sourced: it is operational state, forgotten when it expires.
 */
export class CreateLoginThrottle1764300001500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // One row per (user name, address) pair, per user name (address '') and per address
    // (user_name ''); names are kept lower-cased, as they log in case-insensitively.
    await q.query(`
      CREATE TABLE login_throttle (
        scope          text        NOT NULL CHECK (scope IN ('pair', 'name', 'address')),
        user_name      text        NOT NULL,
        address        text        NOT NULL,
        failures       integer     NOT NULL DEFAULT 0,
        blocked_until  timestamptz,
        counted_until  timestamptz,
        trusted_until  timestamptz,
        expires_at     timestamptz GENERATED ALWAYS AS (greatest(counted_until, trusted_until)) STORED,
        PRIMARY KEY (scope, user_name, address)
      )`);
    await q.query('CREATE INDEX login_throttle_expires_at_idx ON login_throttle (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE login_throttle');
  }
}
