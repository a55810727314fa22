import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { HostPort, type HostCapacity } from '../hosts/host.port';
import { filterHosts, nothingFits, type PlacementRequest } from './filters';
import { rankHosts } from './weighers';

export type { PlacementRequest } from './filters';
export type { HostCapacity } from '../hosts/host.port';

/**
 * Where a VM goes: the cluster's hosts through the filters (filters.ts), the survivors ranked by
 * the weighers (weighers.ts). The scheduler claims nothing: the caller claims the first host it
 * can (HostPort.claim, last in its transaction) and, when a concurrent placement took the room
 * meanwhile, asks again with that host excluded.
 */
@Injectable()
export class SchedulerPort {
  constructor(private readonly hosts: HostPort) {}

  /** The hosts that can take the VM now, best first; a 400 FAILED_PRECONDITION saying why when none can. */
  async candidates(manager: EntityManager, request: PlacementRequest): Promise<HostCapacity[]> {
    const all = await this.hosts.capacities(manager, request.clusterUuid);
    const { passed, ruledOut } = filterHosts(all, request);
    if (passed.length === 0) throw new FailedPreconditionError(nothingFits(request, all.length, ruledOut));
    return rankHosts(passed, request);
  }
}
