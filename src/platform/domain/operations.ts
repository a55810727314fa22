import { FailedPreconditionError } from '../errors/domain-error';

/** A resource's last operation: 0 running, 1 succeeded, 2 failed (ChimeStack's `last_operation_state`). */
export type OperationState = 0 | 1 | 2;

/** What a running operation is called in `operation` (ChimeStack's `Creating#<request id>`). */
const LABELS: Record<string, string> = {
  create: 'Creating',
  delete: 'Deleting',
  restore: 'Restoring',
  snapshot: 'Snapshotting',
  start: 'Starting',
  stop: 'Stopping',
  migrate: 'Migrating',
  rebuild: 'Rebuilding',
  attach_volume: 'AttachingVolume',
  detach_volume: 'DetachingVolume',
  attach_nic: 'AttachingNic',
  detach_nic: 'DetachingNic',
};

export function operationLabel(operation: string, requestId: string | null): string {
  const label = LABELS[operation] ?? operation;
  return requestId ? `${label}#${requestId}` : label;
}

/** The fields of a resource about what runs on it. */
export interface OperatedFields {
  operation: string;
  lastOperationName: string;
  lastOperationState: OperationState;
  lastOperationCreatedAt: Date | null;
  lastOperationFinishedAt: Date | null;
}

/** The same, as the wire and events carry them. */
export function operationFields(fields: OperatedFields) {
  return {
    operation: fields.operation,
    last_operation_name: fields.lastOperationName,
    last_operation_state: fields.lastOperationState,
    last_operation_created_at: fields.lastOperationCreatedAt?.toISOString() ?? null,
    last_operation_finished_at: fields.lastOperationFinishedAt?.toISOString() ?? null,
  };
}

/** The fields of a resource that say a task on it started now. */
export function started(operation: string, requestId: string | null, now: Date): OperatedFields {
  return {
    operation: operationLabel(operation, requestId),
    lastOperationName: operation,
    lastOperationState: 0 as OperationState,
    lastOperationCreatedAt: now,
    lastOperationFinishedAt: null,
  };
}

/** The fields of a resource that say its task ended. */
export function ended(succeeded: boolean, finishedAt: Date): Omit<OperatedFields, 'lastOperationName' | 'lastOperationCreatedAt'> {
  return {
    operation: '',
    lastOperationState: (succeeded ? 1 : 2) as OperationState,
    lastOperationFinishedAt: finishedAt,
  };
}

/** One thing at a time on a resource: 400 while a task runs on it. */
export function assertIdle(what: string, uuid: string, operation: string): void {
  if (operation !== '') {
    throw new FailedPreconditionError(`${what} ${uuid} is busy (${operation}); try again when that has finished`);
  }
}

/** Bytes as people read them, beside the exact number. */
export function bytes(value: number): string {
  const gib = value / 2 ** 30;
  return `${value} bytes (${Number.isInteger(gib) ? gib : gib.toFixed(2)} GiB)`;
}
