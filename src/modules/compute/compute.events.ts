import { DomainEvent } from '@chime/event-log';
import type { VmWire } from './compute.contract';

/**
 * A VM's events. Its host's claim is in them: VmCreated (host_uuid, vcpus, memory), the moves
 * (VmUpdated changing host_uuid) and VmDeleted (`released`).
 */
export class VmCreated extends DomainEvent<VmWire> {
  static override readonly type = 'VmCreated';
}
/** Its name or description changed, or a volume was attached or detached (`volume_uuids`). */
export class VmUpdated extends DomainEvent<{ uuid: string; changes: Partial<VmWire> }> {
  static override readonly type = 'VmUpdated';
}
/** A task on it started (`task_uuid`; `changes`: its operation, and a move's new host). */
export class VmOperationStarted extends DomainEvent<{ uuid: string; task_uuid: string; changes: Partial<VmWire> }> {
  static override readonly type = 'VmOperationStarted';
}
export class VmOperationSucceeded extends DomainEvent<{ uuid: string; task_uuid: string; changes: Partial<VmWire> }> {
  static override readonly type = 'VmOperationSucceeded';
}
export class VmOperationFailed extends DomainEvent<{
  uuid: string;
  task_uuid: string;
  message: string;
  changes: Partial<VmWire>;
}> {
  static override readonly type = 'VmOperationFailed';
}
/** Gone; `released`: what went back to its host (nothing for a failed VM). */
export class VmDeleted extends DomainEvent<{ uuid: string; host_uuid: string; released: { vcpus: number; memory: number } }> {
  static override readonly type = 'VmDeleted';
}
