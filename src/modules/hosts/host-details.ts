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

/**
 * What modules contribute to getHost (HostPort.contribute): one provider per field, registered
 * when the module starts. A field nobody provides stays empty, as ChimeStack's lists leave them.
 */
@Injectable()
export class HostDetails {
  private readonly providers = new Map<HostDetailField, HostDetailProvider>();

  register(field: HostDetailField, provider: HostDetailProvider): void {
    if (this.providers.has(field)) throw new Error(`the host's ${field} are provided already`);
    this.providers.set(field, provider);
  }

  async of(manager: EntityManager, host: HostPlace): Promise<Record<HostDetailField, object[]>> {
    const details: Record<HostDetailField, object[]> = { networks: [], storage_pools: [], vms: [] };
    for (const [field, provider] of this.providers) details[field] = await provider(manager, host);
    return details;
  }
}
