import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { changedFields } from '../../platform/domain/changes';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { SecurityGroupPort } from '../security-groups/security-group.port';
import type { Actor } from '../../platform/http/request-context';
import { NicState as NicStateCode, type CreateNicRequest, type NicForAgent } from './nic.contract';
import { NIC_STREAM, NicEntity } from './nic.entity';
import { NicCreated, NicDeleted, NicUpdated, type NicState } from './nic.events';
import { allocateAddress, allocateMac, lockSubnetForNic } from './nic.store';
import { toNicState } from './nic.view';

/**
 * The one way NICs are made, changed and deleted (createNic, updateNic, deleteNic and NicPort): the
 * row, its version and its event together, in the caller's transaction.
 */
@Injectable()
export class NicLifecycle {
  constructor(private readonly groups: SecurityGroupPort) {}

  /**
   * The security group a NIC of `actor` may use, or null for none (`""` or left out); 404 for one
   * that does not exist or that the actor may not see (ChimeStack's example sends "string": 404).
   */
  async securityGroup(manager: EntityManager, sgUuid: string | undefined, actor: Actor): Promise<string | null> {
    if (sgUuid === undefined || sgUuid === '') return null;
    return (await this.groups.usable(manager, sgUuid, actor)).uuid;
  }

  /** Security groups by uuid with their rules, for agents. */
  securityGroups(manager: EntityManager, uuids: string[]): Promise<Map<string, NonNullable<NicForAgent['security_group']>>> {
    return this.groups.byUuids(manager, uuids);
  }

  /**
   * A new NIC of `actor` in the request's subnet (locked while its address is allocated). With
   * `vm` it is made attached to that VM (state 2), and the subnet must be of the VM's cluster.
   */
  async create(
    tx: Transaction,
    actor: Actor,
    request: CreateNicRequest,
    vm?: { uuid: string; cluster_uuid: string },
  ): Promise<NicEntity> {
    const sgUuid = await this.securityGroup(tx.manager, request.sg_uuid, actor);
    // Taken before the subnet's lock: allocations in one subnet take turns, so the less each one
    // does while holding it, the sooner the next may go.
    const mac = await allocateMac(tx.manager);
    const subnet = await lockSubnetForNic(tx.manager, request.subnet_uuid);
    if (vm && subnet.cluster_uuid !== vm.cluster_uuid) {
      throw new FailedPreconditionError(
        `subnet ${subnet.name} (${subnet.uuid}) is in a network of cluster ${subnet.cluster_uuid}, not of the VM's cluster ${vm.cluster_uuid}`,
      );
    }
    const ip = await allocateAddress(tx.manager, subnet, request.ip);
    const nic: NicEntity = {
      uuid: randomUUID(),
      userUuid: actor.uuid,
      name: request.name,
      description: request.description ?? '',
      subnetUuid: subnet.uuid,
      ip,
      mac,
      primary: request.primary ?? 0,
      sgUuid,
      vmUuid: vm?.uuid ?? null,
      state: vm ? NicStateCode.InUse : NicStateCode.Available,
      operation: '',
      version: 1,
      createdAt: new Date(),
    };
    await tx.manager.insert(NicEntity, nic);
    await tx.append({ type: NIC_STREAM, id: nic.uuid }, 0, [new NicCreated(toNicState(nic))]);
    return nic;
  }

  /** Saves what differs from `nic` (whose row the caller locked) with a NicUpdated event; returns the NIC as it is now. */
  async change(tx: Transaction, nic: NicEntity, request: Partial<NicState>): Promise<NicEntity> {
    const changes = changedFields<NicState>(toNicState(nic), request);
    if (Object.keys(changes).length === 0) return nic;
    const next: NicEntity = {
      ...nic,
      name: changes.name ?? nic.name,
      description: changes.description ?? nic.description,
      state: changes.state ?? nic.state,
      vmUuid: changes.vm_uuid !== undefined ? changes.vm_uuid : nic.vmUuid,
      version: nic.version + 1,
    };
    await tx.manager.update(
      NicEntity,
      { uuid: nic.uuid },
      { name: next.name, description: next.description, state: next.state, vmUuid: next.vmUuid, version: next.version },
    );
    await tx.append({ type: NIC_STREAM, id: nic.uuid }, nic.version, [new NicUpdated({ uuid: nic.uuid, changes })]);
    return next;
  }

  /** Deletes the NIC (its row locked by the caller); its address goes back to the subnet. */
  async delete(tx: Transaction, nic: NicEntity): Promise<void> {
    await tx.manager.delete(NicEntity, { uuid: nic.uuid });
    await tx.append({ type: NIC_STREAM, id: nic.uuid }, nic.version, [
      new NicDeleted({ uuid: nic.uuid, subnet_uuid: nic.subnetUuid, ip: nic.ip, vm_uuid: nic.vmUuid }),
    ]);
  }
}
