import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { NamedResourceSchema } from '../../platform/http/resource-fields';
import { TaskViewSchema, type TaskView } from '../hosts/task.port';
import { NetworkType } from './network.contract';
import { addressPlan, netmask } from './nic-addresses';
import { NIC_STATES, NicState as NicStateCode, type NicStatisticView, type NicView } from './nic.contract';
import type { NicEntity } from './nic.entity';
import type { NicState } from './nic.events';
import { nicSubnets, type NicSubnet } from './nic.store';

export function toNicState(nic: NicEntity): NicState {
  return {
    uuid: nic.uuid,
    name: nic.name,
    description: nic.description,
    user_uuid: nic.userUuid,
    subnet_uuid: nic.subnetUuid,
    ip: nic.ip,
    mac: nic.mac,
    primary: nic.primary,
    sg_uuid: nic.sgUuid,
    vm_uuid: nic.vmUuid,
    state: nic.state,
    operation: nic.operation,
    created_at: nic.createdAt.toISOString(),
  };
}

/** `subnet`: the NIC's subnet and network as they are now. */
export function toNicView(nic: NicEntity, subnet: NicSubnet | undefined, attachedVms: object[]): NicView {
  const plan = subnet && addressPlan(subnet);
  return {
    uuid: nic.uuid,
    name: nic.name,
    description: nic.description,
    user_uuid: nic.userUuid,
    subnet_uuid: nic.subnetUuid,
    subnet_name: subnet?.name ?? '',
    subnet_cidr: subnet?.cidr ?? '',
    network_name: subnet?.bridge_name ?? '',
    network_type: subnet?.network_type ?? NetworkType.Classical,
    ip: nic.ip,
    mac: nic.mac,
    netmask: plan ? netmask(plan) : '',
    gateway: subnet?.gateway ?? '',
    primary: nic.primary,
    sg_uuid: nic.sgUuid ?? '',
    state: nic.state,
    operation: nic.operation,
    attached_vms: attachedVms,
    tasks: [],
    last_operation_name: '',
    last_operation_state: 0,
    last_operation_created_at: null,
    last_operation_finished_at: null,
    created_at: nic.createdAt.toISOString(),
  };
}

/** How the compute module shows the VMs NICs are attached to (NicPort.describeAttachedVms). */
export type AttachedVmsProvider = (manager: EntityManager, vmUuids: string[]) => Promise<Map<string, object>>;

/** NICs as the API shows them: with their subnets, networks and VMs as they are now. */
@Injectable()
export class NicViews {
  private attachedVms?: AttachedVmsProvider;

  describeAttachedVms(provider: AttachedVmsProvider): void {
    this.attachedVms = provider;
  }

  async list(manager: EntityManager, nics: NicEntity[]): Promise<NicView[]> {
    const subnets = await nicSubnets(manager, nics.map((nic) => nic.subnetUuid));
    const vmUuids = nics.flatMap((nic) => (nic.vmUuid ? [nic.vmUuid] : []));
    const vms = this.attachedVms && vmUuids.length > 0 ? await this.attachedVms(manager, vmUuids) : new Map<string, object>();
    return nics.map((nic) => {
      const vm = nic.vmUuid ? vms.get(nic.vmUuid) : undefined;
      return toNicView(nic, subnets.get(nic.subnetUuid), vm ? [vm] : []);
    });
  }

  async one(manager: EntityManager, nic: NicEntity): Promise<NicView> {
    const [view] = await this.list(manager, [nic]);
    return view;
  }
}

const TIME_OR_NULL = { type: 'string', format: 'date-time', nullable: true } as const;

/** The wire shape of a NIC, for the OpenAPI document. */
@ApiSchema({ name: 'Nic' })
export class NicViewSchema extends NamedResourceSchema implements NicView {
  @ApiProperty({ format: 'uuid', description: 'the owner' })
  user_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  subnet_uuid!: string;

  @ApiProperty({ description: "the subnet's name" })
  subnet_name!: string;

  @ApiProperty({ example: '192.168.231.0/24', description: "the subnet's CIDR" })
  subnet_cidr!: string;

  @ApiProperty({ example: 'br1', description: "the bridge of the subnet's network" })
  network_name!: string;

  @ApiProperty({ enum: [NetworkType.Classical, NetworkType.Vlan, NetworkType.Vxlan], description: "the network's type: 0 classical, 1 VLAN, 2 VXLAN" })
  network_type!: NetworkType;

  @ApiProperty({ example: '192.168.231.11' })
  ip!: string;

  @ApiProperty({ example: '52:54:00:6e:52:be' })
  mac!: string;

  @ApiProperty({ example: '255.255.255.0', description: "the subnet's mask" })
  netmask!: string;

  @ApiProperty({ example: '192.168.231.2', description: 'the subnet\'s gateway, or ""' })
  gateway!: string;

  @ApiProperty({ enum: [0, 1], description: '1 for a primary NIC (deleted with its VM)' })
  primary!: 0 | 1;

  @ApiProperty({ description: 'the security group\'s uuid, or "" for none' })
  sg_uuid!: string;

  @ApiProperty({ enum: [...NIC_STATES], description: '1 available, 2 in use (attached to a VM), 0 while something is being done to it' })
  state!: NicStateCode;

  @ApiProperty({ description: 'what runs on it now; "" when nothing' })
  operation!: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'the VM it is attached to' })
  attached_vms!: object[];

  @ApiProperty({ type: [TaskViewSchema], description: 'its latest tasks; NICs have none of their own (attaching is a VM task)' })
  tasks!: TaskView[];

  @ApiProperty({ description: '"" (NICs have no tasks of their own)' })
  last_operation_name!: string;

  @ApiProperty({ enum: [0, 1, 2] })
  last_operation_state!: number;

  @ApiProperty(TIME_OR_NULL)
  last_operation_created_at!: string | null;

  @ApiProperty(TIME_OR_NULL)
  last_operation_finished_at!: string | null;
}

@ApiSchema({ name: 'NicStatistic' })
export class NicStatisticSchema implements NicStatisticView {
  @ApiProperty({ type: 'integer', minimum: 0 })
  nics!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'state 0: something is being done to them' })
  busy!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'state 1: attached to no VM' })
  available!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'state 2: attached to a VM' })
  in_use!: number;
}
