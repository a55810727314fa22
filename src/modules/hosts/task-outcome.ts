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

/**
 * Ends a running task whose row the caller has locked: its state, its result and its event, in the
 * caller's transaction. The one way a task ends (its agent's report, its timeout, its host's deletion).
 */
export async function settleTask(tx: Transaction, task: TaskEntity, outcome: TaskOutcome): Promise<void> {
  const now = new Date();
  const message = outcome.state === TaskState.Failed ? (outcome.message ?? '') : '';
  const result = outcome.result ?? null;
  await tx.manager.update(
    TaskEntity,
    { uuid: task.uuid },
    { state: outcome.state, message, result, updatedAt: now, finishedAt: now, version: task.version + 1 },
  );
  const ended = {
    uuid: task.uuid,
    resource_type: task.resourceType,
    resource_uuid: task.resourceUuid,
    operation: task.operation,
    result,
    finished_at: now.toISOString(),
  };
  const event = outcome.state === TaskState.Succeeded ? new TaskSucceeded(ended) : new TaskFailed({ ...ended, message });
  await tx.append({ type: TASK_STREAM, id: task.uuid }, task.version, [event]);
}
