import { DomainEvent } from '@chime/event-log';
import type { HostMoveKind, HostMoveState, HostMoveStepState } from './host-move.entity';

/** A host move as it was asked for (stream `host_move`): its VMs, in the order their steps run. */
export class HostMoveStarted extends DomainEvent<{
  uuid: string;
  host_uuid: string;
  cluster_uuid: string;
  kind: HostMoveKind;
  target_host_uuid: string;
  migrate_local_disk_vms: boolean;
  task_uuid: string;
  created_at: string;
  vm_uuids: string[];
}> {
  static override readonly type = 'HostMoveStarted';
}
/** A VM's step started: its task (`task_uuid`), and where it goes. */
export class HostMoveStepStarted extends DomainEvent<{
  uuid: string;
  vm_uuid: string;
  task_uuid: string;
  target_host_uuid: string;
}> {
  static override readonly type = 'HostMoveStepStarted';
}
/** A VM's step ended: succeeded, failed (`message` says why) or skipped (`message` says why). */
export class HostMoveStepFinished extends DomainEvent<{
  uuid: string;
  vm_uuid: string;
  state: Exclude<HostMoveStepState, 'pending' | 'running'>;
  message: string;
}> {
  static override readonly type = 'HostMoveStepFinished';
}
/** Every step ended: failed when any step failed. */
export class HostMoveFinished extends DomainEvent<{
  uuid: string;
  state: Exclude<HostMoveState, 'running'>;
  succeeded: number;
  failed: number;
  skipped: number;
  finished_at: string;
}> {
  static override readonly type = 'HostMoveFinished';
}
