import type { ErrorStatus, OperationLogOutcome } from '@chime/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type Outcome = OperationLogOutcome;

/** One entry per request that changed something, or failed to (API.md §6.2). */
@Entity({ name: 'operation_log' })
export class OperationLogEntity {
  /** bigint; node-postgres returns it as a string, views turn it into a number. */
  @PrimaryColumn('bigint')
  id!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('text')
  method!: string;

  @Column('text')
  path!: string;

  @Column('text')
  input!: string;

  @Column('text')
  ip!: string;

  @Column('uuid', { name: 'user_uuid', nullable: true })
  userUuid!: string | null;

  @Column('text', { name: 'user_name', nullable: true })
  userName!: string | null;

  @Column('uuid', { name: 'request_id' })
  requestId!: string;

  @Column('text')
  outcome!: Outcome;

  /** The error the request was answered (HTTP status, status string, message); null on a success. */
  @Column('int', { name: 'error_code', nullable: true })
  errorCode!: number | null;

  @Column('text', { name: 'error_status', nullable: true })
  errorStatus!: ErrorStatus | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage!: string | null;

  /** Position of the event the entry was made from. */
  @Column('bigint', { name: 'event_position' })
  eventPosition!: string;
}
