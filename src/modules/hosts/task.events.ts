import { DomainEvent } from '@chime/event-log';
import type { TaskState } from './host.contract';

/** A task as its events rebuild it (stream `task`). Other modules react to TaskSucceeded / TaskFailed of their kinds. */
export interface TaskAggregate {
  uuid: string;
  client_uuid: string;
  seq: number;
  request_id: string | null;
  description: string;
  state: TaskState;
  resource_type: string;
  resource_uuid: string;
  operation: string;
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
  message: string;
  created_at: string;
  updated_at: string;
  deadline_at: string;
  finished_at: string | null;
  /** Only on tasks the server carries out itself (TaskPort.track). */
  server_side?: true;
}

/** Work for a node's agent: the node's agent picks it up from its watch. */
export class TaskCreated extends DomainEvent<TaskAggregate> {
  static override readonly type = 'TaskCreated';
}
/** The agent reported it done. */
export class TaskSucceeded extends DomainEvent<{
  uuid: string;
  resource_type: string;
  resource_uuid: string;
  operation: string;
  result: Record<string, unknown> | null;
  finished_at: string;
}> {
  static override readonly type = 'TaskSucceeded';
}
/** The agent reported it failed, it timed out, or its node's host was deleted. */
export class TaskFailed extends DomainEvent<{
  uuid: string;
  resource_type: string;
  resource_uuid: string;
  operation: string;
  message: string;
  result: Record<string, unknown> | null;
  finished_at: string;
}> {
  static override readonly type = 'TaskFailed';
}
