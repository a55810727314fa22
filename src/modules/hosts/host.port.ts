import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { FailedPreconditionError, NotFoundError } from '../../platform/errors/domain-error';
import { HostState, MonitorState } from './host.contract';
import { HostRowEntity } from './host.entity';
import { HOST_VIEW_ROWS } from './host.store';
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

function summary(row: HostRowEntity): HostSummary {
  return {
    uuid: row.uuid,
    name: row.name,
    az_uuid: row.azUuid,
    cluster_uuid: row.clusterUuid,
    manage_ip: row.manageIp,
    state: row.state,
    monitor_state: row.monitorState,
  };
}

/** Whether a host takes new work: enabled and reachable (an agent that reports an error still works). */
function takesWork(row: HostRowEntity): boolean {
  return row.state === HostState.Enabled && row.monitorState !== MonitorState.Unreachable;
}

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
    const row = await HOST_VIEW_ROWS.findOne(manager, { uuid: hostUuid, clusterUuid });
    if (!row) throw new NotFoundError(`host ${hostUuid} not found in cluster ${clusterUuid}`);
    if (row.state !== HostState.Enabled) {
      const state = row.state === HostState.Suspended ? 'suspended' : 'disabled';
      throw new FailedPreconditionError(`host ${hostUuid} is ${state} and takes no new work`);
    }
    if (row.monitorState === MonitorState.Unreachable) {
      throw new FailedPreconditionError(`host ${hostUuid} is unreachable: its agent has not reported for too long`);
    }
    return summary(row);
  }

  /**
   * For work on something a host already holds (deleting, snapshotting a volume): 400
   * FAILED_PRECONDITION when its agent is unreachable; a disabled host still does such work.
   */
  async assertReachable(manager: EntityManager, hostUuid: string, what: string): Promise<void> {
    const row = await HOST_VIEW_ROWS.findOne(manager, { uuid: hostUuid });
    if (!row) throw new FailedPreconditionError(`${what} is on host ${hostUuid}, which is gone`);
    if (row.monitorState === MonitorState.Unreachable) {
      throw new FailedPreconditionError(`${what} is on host ${hostUuid}, which is unreachable: try again when its agent reports`);
    }
  }

  /** The hosts of a cluster (or of every cluster, without one) that take new work, by uuid. */
  async takingWork(manager: EntityManager, clusterUuid?: string): Promise<HostSummary[]> {
    const rows = await manager.find(HostRowEntity, {
      where: { state: HostState.Enabled, ...(clusterUuid ? { clusterUuid } : {}) },
      order: { uuid: 'ASC' },
    });
    return rows.filter(takesWork).map(summary);
  }

  /** These hosts as they are now (hosts deleted since are left out), for views that name them. */
  async summaries(uuids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, HostSummary>> {
    const wanted = [...new Set(uuids.filter((uuid) => uuid))];
    if (wanted.length === 0) return new Map();
    const rows = await manager.find(HostRowEntity, { where: { uuid: In(wanted) } });
    return new Map(rows.map((row) => [row.uuid, summary(row)]));
  }
}
