import { DomainEvent } from '@chime/event-log';
import type { NicView } from './nic.contract';

/** A NIC's own state; what it shows of its subnet, network and VMs is looked up by views. */
export type NicState = Pick<
  NicView,
  'uuid' | 'name' | 'description' | 'user_uuid' | 'subnet_uuid' | 'ip' | 'mac' | 'primary' | 'state' | 'operation' | 'created_at'
> & {
  sg_uuid: string | null;
  vm_uuid: string | null;
};

export class NicCreated extends DomainEvent<NicState> {
  static override readonly type = 'NicCreated';
}
/** Only the fields that changed: name and description (updateNic), state and vm_uuid (attached, detached). */
export class NicUpdated extends DomainEvent<{ uuid: string; changes: Partial<NicState> }> {
  static override readonly type = 'NicUpdated';
}
/** Its address goes back to the subnet. */
export class NicDeleted extends DomainEvent<{ uuid: string; subnet_uuid: string; ip: string; vm_uuid: string | null }> {
  static override readonly type = 'NicDeleted';
}
