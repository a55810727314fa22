import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT } from './client.entity';
import type { TaskState } from './host.contract';

export const TASK_STREAM = 'task';

/** A JSON object as a jsonb column holds it (typed loosely enough for TypeORM's partial entities). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;

/** Work for one node's agent (ChimeStack's `t_task`), numbered per node by `seq`. */
@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('uuid', { name: 'client_uuid' })
  clientUuid!: string;

  @Column('bigint', { transformer: BIGINT })
  seq!: number;

  /** The request that caused it. */
  @Column('uuid', { name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column('text')
  description!: string;

  @Column('smallint')
  state!: TaskState;

  @Column('text', { name: 'resource_type' })
  resourceType!: string;

  @Column('uuid', { name: 'resource_uuid' })
  resourceUuid!: string;

  @Column('text')
  operation!: string;

  /** What the agent needs to do it. */
  @Column('jsonb')
  payload!: JsonObject;

  /** What the agent reported back with its outcome. */
  /**
   * What only the agent may read (a VM's passwords): merged into the payload it is given, never in
   * an event, a view or a log, and cleared when the task ends.
   */
  @Column('jsonb', { nullable: true })
  secrets!: Record<string, string> | null;

  @Column('jsonb', { nullable: true })
  result!: JsonObject | null;

  /** Why it failed; "" otherwise. */
  @Column('text')
  message!: string;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'deadline_at' })
  deadlineAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  /** Carried out by the server itself (TaskPort.track): never given to an agent, numbered below zero. */
  @Column('boolean', { name: 'server_side', default: false })
  serverSide?: boolean;
}
