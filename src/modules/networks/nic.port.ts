import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { In, IsNull, type EntityManager } from 'typeorm';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { Ownership } from '../../platform/domain/ownership';
import type { Actor } from '../../platform/http/request-context';
import { addressPlan, netmask } from './nic-addresses';
import { NicLifecycle } from './nic-lifecycle';
import { NicState, type CreateNicRequest, type NicForAgent, type NicView } from './nic.contract';
import { NIC_STREAM, NicEntity } from './nic.entity';
import { NicUpdated } from './nic.events';
import { lockNic, nicNotFound, nicSubnets } from './nic.store';
import { NicViews, type AttachedVmsProvider } from './nic.view';

export type { CreateNicRequest, NicForAgent, NicView } from './nic.contract';
export { NicState } from './nic.contract';
export { NicViewSchema } from './nic.view';
/** The request of one NIC, for createVm's `nics` (validated as createNic validates it). */
export { CreateNicDto } from './nic.dto';

/**
 * What the compute module may do with NICs: the networks module's export for that purpose. Every
 * change runs in the caller's transaction and appends the NIC's events (stream `nic`), so a VM's
 * decision and its NICs' commit together.
 */
@Injectable()
export class NicPort {
  constructor(
    private readonly lifecycle: NicLifecycle,
    private readonly views: NicViews,
  ) {}

  /** createVm: NICs made for a VM, attached to it from the start (state 2). Subnets must belong to networks of `clusterUuid` (else 400 naming it). */
  async createForVm(tx: Transaction, actor: Actor, clusterUuid: string, vmUuid: string, requests: CreateNicRequest[]): Promise<NicView[]> {
    const nics: NicEntity[] = [];
    for (const request of requests) {
      nics.push(await this.lifecycle.create(tx, actor, request, { uuid: vmUuid, cluster_uuid: clusterUuid }));
    }
    return this.views.list(tx.manager, nics);
  }

  /** attachNicToVm: 404 unknown or not visible to actor; 400 when attached elsewhere (naming the VM) or its subnet is not in the VM's cluster. Sets state 2 and vm_uuid. */
  async attach(tx: Transaction, actor: Actor, nicUuid: string, vm: { uuid: string; cluster_uuid: string }): Promise<NicView> {
    const nic = await lockNic(tx.manager, nicUuid);
    Ownership.assertMayChange(actor, nic.userUuid, () => nicNotFound(nicUuid));
    if (nic.vmUuid === vm.uuid) return this.views.one(tx.manager, nic);
    if (nic.vmUuid) {
      throw new FailedPreconditionError(`network interface ${nic.name} (${nic.uuid}) is attached to VM ${nic.vmUuid}`);
    }
    if (nic.state !== NicState.Available) {
      throw new FailedPreconditionError(`network interface ${nic.name} (${nic.uuid}) is busy (${nic.operation || 'an operation runs'})`);
    }
    const subnet = (await nicSubnets(tx.manager, [nic.subnetUuid])).get(nic.subnetUuid);
    if (subnet?.cluster_uuid !== vm.cluster_uuid) {
      throw new FailedPreconditionError(
        `network interface ${nic.name} (${nic.uuid}) is in subnet ${subnet?.name ?? nic.subnetUuid} of cluster ${subnet?.cluster_uuid ?? '?'}, not of the VM's cluster ${vm.cluster_uuid}`,
      );
    }
    // The row lock makes attaching race-free; the condition keeps it so even for a caller that did not lock.
    const { affected } = await tx.manager.update(NicEntity, { uuid: nic.uuid, vmUuid: IsNull() }, {
      vmUuid: vm.uuid,
      state: NicState.InUse,
    });
    if (affected === 0) throw new FailedPreconditionError(`network interface ${nic.uuid} was attached meanwhile`);
    const attached = await this.lifecycle.change(tx, nic, { state: NicState.InUse, vm_uuid: vm.uuid });
    return this.views.one(tx.manager, attached);
  }

  /** detachNicFromVm (or a failed attach task): back to state 1; 400 when not attached to that VM. */
  async detach(tx: Transaction, nicUuid: string, vmUuid: string): Promise<NicView> {
    const nic = await lockNic(tx.manager, nicUuid);
    if (nic.vmUuid !== vmUuid) {
      throw new FailedPreconditionError(`network interface ${nic.name} (${nic.uuid}) is not attached to VM ${vmUuid}`);
    }
    return this.views.one(tx.manager, await this.lifecycle.change(tx, nic, { state: NicState.Available, vm_uuid: null }));
  }

  /** deleteVm: the VM's primary NICs are deleted (addresses freed), its other NICs detached. */
  async releaseForVm(tx: Transaction, vmUuid: string): Promise<void> {
    const nics = await tx.manager.find(NicEntity, {
      where: { vmUuid },
      order: { uuid: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const nic of nics) {
      if (nic.primary === 1) await this.lifecycle.delete(tx, nic);
      else await this.lifecycle.change(tx, nic, { state: NicState.Available, vm_uuid: null });
    }
  }

  /** The NICs attached to these VMs, by VM uuid, as views. */
  async forVms(manager: EntityManager, vmUuids: string[]): Promise<Map<string, NicView[]>> {
    const byVm = new Map<string, NicView[]>(vmUuids.map((uuid) => [uuid, []]));
    if (vmUuids.length === 0) return byVm;
    const nics = await manager.find(NicEntity, { where: { vmUuid: In(vmUuids) }, order: { primary: 'DESC', createdAt: 'ASC', uuid: 'ASC' } });
    const views = await this.views.list(manager, nics);
    nics.forEach((nic, i) => byVm.get(nic.vmUuid!)?.push(views[i]));
    return byVm;
  }

  /** What an agent needs to plug a VM's NICs (primary first). */
  async forAgent(manager: EntityManager, vmUuid: string): Promise<NicForAgent[]> {
    const nics = await manager.find(NicEntity, { where: { vmUuid }, order: { primary: 'DESC', createdAt: 'ASC', uuid: 'ASC' } });
    const subnets = await nicSubnets(manager, nics.map((nic) => nic.subnetUuid));
    const groups = await this.lifecycle.securityGroups(manager, nics.flatMap((nic) => (nic.sgUuid ? [nic.sgUuid] : [])));
    return nics.map((nic) => {
      const subnet = subnets.get(nic.subnetUuid)!;
      return {
        uuid: nic.uuid,
        mac: nic.mac,
        ip: nic.ip,
        netmask: netmask(addressPlan(subnet)),
        gateway: subnet.gateway,
        primary: nic.primary,
        bridge: subnet.bridge_name,
        network_type: subnet.network_type,
        vlan_id: subnet.vlan_id,
        security_group: (nic.sgUuid && groups.get(nic.sgUuid)) || null,
      };
    });
  }

  /**
   * `npm run import` (no Nest container there, hence static): an imported NIC is attached to an
   * imported VM (ChimeStack's r_vm_nic): state 2 and vm_uuid, with its NicUpdated. A NIC that is
   * not there, or attached already, is an error (the import rolls back naming it).
   */
  static async attachOnImport(tx: Transaction, nicUuid: string, vmUuid: string): Promise<void> {
    const nic = await tx.manager.findOne(NicEntity, { where: { uuid: nicUuid }, lock: { mode: 'pessimistic_write' } });
    if (!nic) throw new Error(`network interface ${nicUuid} is not imported`);
    if (nic.vmUuid) throw new Error(`network interface ${nicUuid} is attached to VM ${nic.vmUuid} already`);
    const changes = { state: NicState.InUse, vm_uuid: vmUuid };
    await tx.manager.update(NicEntity, { uuid: nic.uuid }, { state: changes.state, vmUuid, version: nic.version + 1 });
    await tx.append({ type: NIC_STREAM, id: nic.uuid }, nic.version, [new NicUpdated({ uuid: nic.uuid, changes })]);
  }

  /** The compute module tells how to show `attached_vms`; until one is registered, attached_vms is []. */
  describeAttachedVms(provider: AttachedVmsProvider): void {
    this.views.describeAttachedVms(provider);
  }
}
