import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FailedPreconditionError, NotFoundError } from '../../platform/errors/domain-error';
import { HostState, MonitorState } from './host.contract';
import { HostDetails, type HostDetailField, type HostDetailProvider } from './host-details';
export type { HostDetailField, HostDetailProvider, HostPlace } from './host-details';

/** What other modules may know of a host: enough to place work on it and to name it in their views. */
export interface HostSummary {
  uuid: string;
  name: string;
  az_uuid: string;
  cluster_uuid: string;
  manage_ip: string;
  state: HostState;
  monitor_state: MonitorState;
}

/**
 * Hosts with what their nodes report, from the tables themselves (not the host_rows view, whose
 * last-task column costs an index probe per host): placement reads a whole cluster's hosts.
 */
const SUMMARIES = `
SELECT h.uuid, c.name, h.az_uuid, h.cluster_uuid, c.manage_ip, h.state, c.monitor_state
  FROM hosts h JOIN clients c ON c.uuid = h.uuid`;

const TAKING_WORK = `${SUMMARIES}
 WHERE h.state = ${HostState.Enabled} AND c.monitor_state <> ${MonitorState.Unreachable}`;

/**
 * What other modules (storage, images, compute) may know of hosts, and ask of them: the hosts
 * module's export for placing work. A module that keeps something on a host references
 * `hosts (uuid)` with a foreign key, so deleteHost is refused while anything is there.
 */
@Injectable()
export class HostPort {
  constructor(
    private readonly dataSource: DataSource,
    private readonly details: HostDetails,
  ) {}

  /**
   * What getHost shows of this module in `field` (the cluster's storage pools, the host's VMs …);
   * register it when the module starts.
   */
  contribute(field: HostDetailField, provider: HostDetailProvider): void {
    this.details.register(field, provider);
  }

  /**
   * The host of that cluster a module is asked to put something on (a request's `host_uuid`):
   * 404 when it is not a host of the cluster, 400 FAILED_PRECONDITION when it takes no new work
   * (disabled, suspended, or unreachable).
   */
  async forWork(manager: EntityManager, clusterUuid: string, hostUuid: string): Promise<HostSummary> {
    const [host]: HostSummary[] = await manager.query(`${SUMMARIES} WHERE h.uuid = $1 AND h.cluster_uuid = $2`, [
      hostUuid,
      clusterUuid,
    ]);
    if (!host) throw new NotFoundError(`host ${hostUuid} not found in cluster ${clusterUuid}`);
    if (host.state !== HostState.Enabled) {
      const state = host.state === HostState.Suspended ? 'suspended' : 'disabled';
      throw new FailedPreconditionError(`host ${hostUuid} is ${state} and takes no new work`);
    }
    if (host.monitor_state === MonitorState.Unreachable) {
      throw new FailedPreconditionError(`host ${hostUuid} is unreachable: its agent has not reported for too long`);
    }
    return host;
  }

  /**
   * For work on something a host already holds (deleting, snapshotting a volume): 400
   * FAILED_PRECONDITION when its agent is unreachable; a disabled host still does such work.
   */
  async assertReachable(manager: EntityManager, hostUuid: string, what: string): Promise<void> {
    const [host]: HostSummary[] = await manager.query(`${SUMMARIES} WHERE h.uuid = $1`, [hostUuid]);
    if (!host) throw new FailedPreconditionError(`${what} is on host ${hostUuid}, which is gone`);
    if (host.monitor_state === MonitorState.Unreachable) {
      throw new FailedPreconditionError(`${what} is on host ${hostUuid}, which is unreachable: try again when its agent reports`);
    }
  }

  /** The hosts of a cluster (or of every cluster, without one) that take new work, by uuid. */
  takingWork(manager: EntityManager, clusterUuid?: string): Promise<HostSummary[]> {
    return clusterUuid
      ? manager.query(`${TAKING_WORK} AND h.cluster_uuid = $1 ORDER BY h.uuid`, [clusterUuid])
      : manager.query(`${TAKING_WORK} ORDER BY h.uuid`);
  }

  /** These hosts as they are now (hosts deleted since are left out), for views that name them. */
  async summaries(uuids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, HostSummary>> {
    const wanted = [...new Set(uuids.filter((uuid) => uuid))];
    if (wanted.length === 0) return new Map();
    const hosts: HostSummary[] = await manager.query(`${SUMMARIES} WHERE h.uuid = ANY($1::uuid[])`, [wanted]);
    return new Map(hosts.map((host) => [host.uuid, host]));
  }
}
