import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { TaskState } from './host.contract';
import { TASK_STREAM, TaskEntity, type JsonObject } from './task.entity';
import { TaskFailed, TaskSucceeded } from './task.events';

/** How a running task ended. */
export interface TaskOutcome {
  state: TaskState.Succeeded | TaskState.Failed;
  message?: string;
  result?: JsonObject | null;
}

/** A task's end, as the module whose kind it is sees it. */
export interface EndedTask {
  uuid: string;
  resource_type: string;
  resource_uuid: string;
  operation: string;
  /** What the task was given to do. */
  payload: JsonObject;
  succeeded: boolean;
  /** Why it failed; "" when it succeeded. */
  message: string;
  result: JsonObject | null;
  finished_at: Date;
}

/**
 * What a module does when a task of its kind ends, in the transaction that ends it (the agent's
 * report, the timeout, the host's deletion): the resource's state follows the task in the same
 * commit, with its events. It must not fail for a resource that is gone (a forced delete).
 */
export type TaskOutcomeHandler = (tx: Transaction, task: EndedTask) => Promise<void>;

/**
 * The one way a task ends, and the handlers modules register for their kinds (TaskPort.onOutcome).
 * Ending a task: its state, its result and its event, then its kind's handler, all in the caller's
 * transaction, on a task row the caller has locked.
 */
@Injectable()
export class TaskOutcomes {
  private readonly handlers = new Map<string, TaskOutcomeHandler>();

  register(resourceType: string, handler: TaskOutcomeHandler): void {
    if (this.handlers.has(resourceType)) throw new Error(`a task outcome handler for ${resourceType} is registered already`);
    this.handlers.set(resourceType, handler);
  }

  async settle(tx: Transaction, task: TaskEntity, outcome: TaskOutcome): Promise<void> {
    const now = new Date();
    const message = outcome.state === TaskState.Failed ? (outcome.message ?? '') : '';
    const result = outcome.result ?? null;
    await tx.manager.update(
      TaskEntity,
      { uuid: task.uuid },
      { state: outcome.state, message, result, secrets: null, updatedAt: now, finishedAt: now, version: task.version + 1 },
    );
    const ended = {
      uuid: task.uuid,
      resource_type: task.resourceType,
      resource_uuid: task.resourceUuid,
      operation: task.operation,
      result,
      finished_at: now.toISOString(),
    };
    const succeeded = outcome.state === TaskState.Succeeded;
    const event = succeeded ? new TaskSucceeded(ended) : new TaskFailed({ ...ended, message });
    await tx.append({ type: TASK_STREAM, id: task.uuid }, task.version, [event]);
    await this.handlers.get(task.resourceType)?.(tx, {
      uuid: task.uuid,
      resource_type: task.resourceType,
      resource_uuid: task.resourceUuid,
      operation: task.operation,
      payload: task.payload,
      succeeded,
      message,
      result,
      finished_at: now,
    });
  }
}
