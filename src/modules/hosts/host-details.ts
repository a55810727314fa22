import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The parts of getHost's view that other modules own: the cluster's networks, storage pools, the VMs. */
export type HostDetailField = 'networks' | 'storage_pools' | 'vms';

/** Where a host is, for a module that lists what it keeps there. */
export interface HostPlace {
  uuid: string;
  az_uuid: string;
  cluster_uuid: string;
}

export type HostDetailProvider = (manager: EntityManager, host: HostPlace) => Promise<object[]>;

/** The counts of a host's view that other modules own (lists show them too): its VMs, its running VMs. */
export type HostCountField = 'vm_count' | 'vm_running_count';
const COUNT_FIELDS: readonly HostCountField[] = ['vm_count', 'vm_running_count'];

/** How many of them each of these hosts holds (hosts left out hold none). */
export type HostCountProvider = (manager: EntityManager, hostUuids: string[]) => Promise<Map<string, number>>;

/**
 * What modules contribute to getHost (HostPort.contribute): one provider per field, registered
 * when the module starts. A field nobody provides stays empty, as ChimeStack's lists leave them.
 */
@Injectable()
export class HostDetails {
  private readonly providers = new Map<HostDetailField, HostDetailProvider>();
  private readonly counters = new Map<HostCountField, HostCountProvider>();

  register(field: HostDetailField, provider: HostDetailProvider): void {
    if (this.providers.has(field)) throw new Error(`the host's ${field} are provided already`);
    this.providers.set(field, provider);
  }

  registerCount(field: HostCountField, provider: HostCountProvider): void {
    if (this.counters.has(field)) throw new Error(`the host's ${field} is provided already`);
    this.counters.set(field, provider);
  }

  /** The counts of these hosts' views, by host uuid; 0 where nobody provides one. */
  async counts(manager: EntityManager, hostUuids: string[]): Promise<(uuid: string) => Record<HostCountField, number>> {
    const counted = new Map<HostCountField, Map<string, number>>();
    for (const [field, provider] of this.counters)
      counted.set(field, hostUuids.length ? await provider(manager, hostUuids) : new Map());
    return (uuid) =>
      Object.fromEntries(COUNT_FIELDS.map((field) => [field, counted.get(field)?.get(uuid) ?? 0])) as Record<
        HostCountField,
        number
      >;
  }

  async of(manager: EntityManager, host: HostPlace): Promise<Record<HostDetailField, object[]>> {
    const details: Record<HostDetailField, object[]> = { networks: [], storage_pools: [], vms: [] };
    for (const [field, provider] of this.providers) details[field] = await provider(manager, host);
    return details;
  }
}
