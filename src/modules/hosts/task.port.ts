import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Transaction } from '@chime/event-log';
import { AppConfig } from '../../platform/config/app-config';
import { NotFoundError } from '../../platform/errors/domain-error';
import { TaskState, type TaskView } from './host.contract';
import { TASK_STREAM, TaskEntity } from './task.entity';
import { TaskCreated } from './task.events';
import { TaskOutcomes, type TaskOutcomeHandler } from './task-outcome';
export type { EndedTask, TaskOutcomeHandler } from './task-outcome';
import { toTaskAggregate, toTaskView } from './host.view';
import type { EntityManager } from 'typeorm';

/** A task as views of other modules show it (their resources' progress), and its OpenAPI schema. */
export type { TaskView } from './host.contract';
export { TaskViewSchema } from './host.schemas';

/** A server-side task's deadline: none (its owner ends it). */
const NO_DEADLINE = new Date('9999-12-31T00:00:00.000Z');

/** What a module asks a node's agent to do. */
export interface TaskRequest {
  /** The node (client) whose agent does it. */
  clientUuid: string;
  resourceType: string;
  resourceUuid: string;
  operation: string;
  /** What the agent needs to do it (its driver reads it by kind: `resource_type`/`operation`). */
  payload: Record<string, unknown>;
  description?: string;
  /** What only the agent may read (passwords): given to it with the payload, never in events or views, cleared when the task ends. */
  secrets?: Record<string, string>;
  /** Seconds before it fails as timed out; default CHIME_TASK_TIMEOUT. */
  timeoutSeconds?: number;
}

/**
 * How modules give work to nodes: the hosts module's export for that purpose. A task created in a
 * command's transaction commits with the command's state change and events, or not at all; the
 * node's agent sees it on its watch within milliseconds of the commit (task-watch.ts). Its outcome
 * is handled by the module's outcome handler (onOutcome) in the transaction that ends the task, and
 * appears as TaskSucceeded or TaskFailed (task.events.ts) for anyone else to react to.
 */
@Injectable()
export class TaskPort {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly outcomes: TaskOutcomes,
  ) {}

  /**
   * What to do when a task of `resourceType` ends (succeeded, failed, timed out, or its host
   * deleted): called in the transaction that ends it, so the resource's state follows the task in
   * the same commit. One handler per resource type; register it when the module starts.
   */
  onOutcome(resourceType: string, handler: TaskOutcomeHandler): void {
    this.outcomes.register(resourceType, handler);
  }

  async create(tx: Transaction, request: TaskRequest): Promise<TaskView> {
    // Numbers the node's tasks under its row's lock, so a watcher's cursor never skips a task that
    // commits late: the next task of the node cannot be numbered before this one commits.
    const [[row]]: [{ task_head: string }[]] = await tx.manager.query(
      'UPDATE clients SET task_head = task_head + 1 WHERE uuid = $1 RETURNING task_head',
      [request.clientUuid],
    );
    if (!row) throw new NotFoundError(`node ${request.clientUuid} not found`);
    const now = new Date();
    const task: TaskEntity = {
      uuid: randomUUID(),
      clientUuid: request.clientUuid,
      seq: Number(row.task_head),
      requestId: tx.metadata.request_id,
      description: request.description ?? `${request.operation}-${request.resourceType}-${request.resourceUuid}`,
      state: TaskState.Running,
      resourceType: request.resourceType,
      resourceUuid: request.resourceUuid,
      operation: request.operation,
      payload: request.payload,
      secrets: request.secrets && Object.keys(request.secrets).length > 0 ? request.secrets : null,
      result: null,
      message: '',
      version: 1,
      createdAt: now,
      updatedAt: now,
      deadlineAt: new Date(now.getTime() + (request.timeoutSeconds ?? this.config.CHIME_TASK_TIMEOUT) * 1000),
      finishedAt: null,
    };
    await tx.manager.insert(TaskEntity, task);
    await tx.append({ type: TASK_STREAM, id: task.uuid }, 0, [new TaskCreated(toTaskAggregate(task))]);
    return toTaskView(task);
  }

  /**
   * A task the server carries out itself, over some time (a host's drain, migration or rebuild):
   * it shows the resource's progress in its views like any task, but no agent is given it (it is
   * numbered below zero, `server_side`: the watch and the agent's reports never see it) and it
   * has no deadline. Its owner ends it with `end`, in the transaction that finishes the work.
   */
  async track(
    tx: Transaction,
    request: Omit<TaskRequest, 'payload' | 'secrets' | 'timeoutSeconds'> & { payload?: Record<string, unknown> },
  ): Promise<TaskView> {
    // Under the node's row lock, as `create` numbers its tasks: one number per server-side task.
    await tx.manager.query('SELECT uuid FROM clients WHERE uuid = $1 FOR UPDATE', [request.clientUuid]);
    const [row]: { seq: string | null }[] = await tx.manager.query(
      'SELECT min(seq) AS seq FROM tasks WHERE client_uuid = $1 AND seq < 0',
      [request.clientUuid],
    );
    const now = new Date();
    const task: TaskEntity = {
      uuid: randomUUID(),
      clientUuid: request.clientUuid,
      seq: Number(row?.seq ?? 0) - 1,
      requestId: tx.metadata.request_id,
      description: request.description ?? `${request.operation}-${request.resourceType}-${request.resourceUuid}`,
      state: TaskState.Running,
      resourceType: request.resourceType,
      resourceUuid: request.resourceUuid,
      operation: request.operation,
      payload: request.payload ?? {},
      secrets: null,
      result: null,
      message: '',
      version: 1,
      createdAt: now,
      updatedAt: now,
      deadlineAt: NO_DEADLINE,
      finishedAt: null,
      serverSide: true,
    };
    await tx.manager.insert(TaskEntity, task);
    await tx.append({ type: TASK_STREAM, id: task.uuid }, 0, [new TaskCreated(toTaskAggregate(task))]);
    return toTaskView(task);
  }

  /** Ends a task made with `track` (TaskSucceeded or TaskFailed, with its result); one that ended already stays as it is. */
  async end(
    tx: Transaction,
    taskUuid: string,
    outcome: { succeeded: boolean; message?: string; result?: Record<string, unknown> },
  ): Promise<void> {
    const task = await tx.manager.findOne(TaskEntity, {
      where: { uuid: taskUuid, serverSide: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (!task || task.state !== TaskState.Running) return;
    await this.outcomes.settle(tx, task, {
      state: outcome.succeeded ? TaskState.Succeeded : TaskState.Failed,
      message: outcome.message,
      result: outcome.result ?? null,
    });
  }

  /** The latest tasks about one resource, newest first (for views that show a resource's progress). */
  async recent(manager: EntityManager, resourceType: string, resourceUuid: string, limit = 20): Promise<TaskView[]> {
    const tasks = await manager.find(TaskEntity, {
      where: { resourceType, resourceUuid },
      order: { createdAt: 'DESC', seq: 'DESC' },
      take: limit,
    });
    return tasks.map(toTaskView);
  }
}
