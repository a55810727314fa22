import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { HostPort, type HostPlace } from '../hosts/host.port';
import { NicPort } from '../networks/nic.port';
import { StoragePort } from '../storage/storage.port';
import { VmState } from './compute.contract';
import { VmEntity, VmVolumeEntity } from './vm.entity';
import { VmViews } from './vm-views';

/** What the compute module shows in other modules' views: a host's VMs (getHost) and their counts, the VM of a NIC or volume (attached_vms). */
@Injectable()
export class VmContributions implements OnModuleInit {
  constructor(
    private readonly hosts: HostPort,
    private readonly nics: NicPort,
    private readonly storage: StoragePort,
    private readonly views: VmViews,
  ) {}

  onModuleInit(): void {
    this.hosts.contribute('vms', (manager, host) => this.onHost(manager, host));
    this.hosts.contributeCount('vm_count', (manager, hostUuids) => this.countOn(manager, hostUuids));
    this.hosts.contributeCount('vm_running_count', (manager, hostUuids) => this.countOn(manager, hostUuids, VmState.Running));
    this.nics.describeAttachedVms((manager, vmUuids) => this.byUuid(manager, vmUuids));
    this.storage.describeAttachedVms((manager, volumeUuids) => this.byVolume(manager, volumeUuids));
  }

  private async onHost(manager: EntityManager, host: HostPlace): Promise<object[]> {
    const vms = await manager.find(VmEntity, { where: { hostUuid: host.uuid }, order: { createdAt: 'ASC', uuid: 'ASC' } });
    return this.views.list(manager, vms);
  }

  /** How many VMs (in `state`, when given) each host holds. */
  private async countOn(manager: EntityManager, hostUuids: string[], state?: VmState): Promise<Map<string, number>> {
    const rows: { host_uuid: string; n: number }[] = await manager.query(
      `SELECT host_uuid, count(*)::int AS n FROM vms
        WHERE host_uuid = ANY($1::uuid[]) AND ($2::smallint IS NULL OR state = $2) GROUP BY host_uuid`,
      [hostUuids, state ?? null],
    );
    return new Map(rows.map((row) => [row.host_uuid, row.n]));
  }

  /** The VM each of these volumes is attached to, as lists show VMs. */
  private async byVolume(manager: EntityManager, volumeUuids: string[]): Promise<Map<string, object[]>> {
    const relations = await manager.find(VmVolumeEntity, { where: { volumeUuid: In(volumeUuids) } });
    const vms = await this.byUuid(manager, [...new Set(relations.map((relation) => relation.vmUuid))]);
    const byVolume = new Map<string, object[]>();
    for (const relation of relations) {
      const vm = vms.get(relation.vmUuid);
      if (vm) byVolume.set(relation.volumeUuid, [vm]);
    }
    return byVolume;
  }

  private async byUuid(manager: EntityManager, vmUuids: string[]): Promise<Map<string, object>> {
    if (vmUuids.length === 0) return new Map();
    const vms = await manager.find(VmEntity, { where: { uuid: In(vmUuids) } });
    return new Map((await this.views.list(manager, vms)).map((view) => [view.uuid, view]));
  }
}
