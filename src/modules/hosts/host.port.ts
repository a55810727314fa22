import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { capacitySql } from '../../platform/domain/capacity';
import { FailedPreconditionError, NotFoundError } from '../../platform/errors/domain-error';
import { HostState, MonitorState } from './host.contract';
import {
  HostDetails,
  type HostCountField,
  type HostCountProvider,
  type HostDetailField,
  type HostDetailProvider,
} from './host-details';
export type { HostCountField, HostCountProvider, HostDetailField, HostDetailProvider, HostPlace } from './host-details';
export { HostState, MonitorState } from './host.contract';

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

/** A host with its compute capacity (after ratios and reservations) and what VMs claim of it. */
export interface HostCapacity extends HostSummary {
  total_vcpus: number;
  used_vcpus: number;
  total_memory: number;
  used_memory: number;
}

const TOTAL_VCPUS = capacitySql('c.physical_vcpus', 'h.cpu_ratio', 'h.reserved_vcpus');
const TOTAL_MEMORY = capacitySql('c.physical_memory', 'h.memory_ratio', 'h.reserved_memory');

const CAPACITIES = `
SELECT h.uuid, c.name, h.az_uuid, h.cluster_uuid, c.manage_ip, h.state, c.monitor_state,
       ${TOTAL_VCPUS}::int AS total_vcpus, h.used_vcpus, ${TOTAL_MEMORY}::float8 AS total_memory, h.used_memory::float8 AS used_memory
  FROM hosts h JOIN clients c ON c.uuid = h.uuid`;

/** What VMs claim of hosts: vCPUs and bytes of memory. */
export interface ComputeClaim {
  vcpus: number;
  memory: number;
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

  /** What lists and getHost count of this module in `field` (a host's VMs); register it when the module starts. */
  contributeCount(field: HostCountField, provider: HostCountProvider): void {
    this.details.registerCount(field, provider);
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

  /** The hosts of a cluster with their compute capacity and claims, by uuid (the scheduler's candidates). */
  async capacities(manager: EntityManager, clusterUuid: string): Promise<HostCapacity[]> {
    const rows: HostCapacity[] = await manager.query(`${CAPACITIES} WHERE h.cluster_uuid = $1 ORDER BY h.uuid`, [clusterUuid]);
    return rows.map((row) => ({ ...row, used_memory: Number(row.used_memory), total_memory: Number(row.total_memory) }));
  }

  /**
   * Claims vCPUs and memory of a host for a VM in one statement: it succeeds only while the host
   * takes work (enabled, reachable) and the claim fits its capacity, and its row lock makes
   * concurrent claims on the host take turns until each commits, so no host is ever over-committed.
   * Take it last in the transaction: the row stays locked from here to the commit.
   */
  async claim(manager: EntityManager, hostUuid: string, claim: ComputeClaim): Promise<boolean> {
    const [rows]: [unknown[]] = await manager.query(
      `UPDATE hosts h SET used_vcpus = h.used_vcpus + $2, used_memory = h.used_memory + $3
         FROM clients c
        WHERE h.uuid = $1 AND c.uuid = h.uuid AND h.state = ${HostState.Enabled}
          AND c.monitor_state <> ${MonitorState.Unreachable}
          AND h.used_vcpus + $2 <= ${TOTAL_VCPUS} AND h.used_memory + $3 <= ${TOTAL_MEMORY}
       RETURNING h.uuid`,
      [hostUuid, claim.vcpus, claim.memory],
    );
    return rows.length === 1;
  }

  /**
   * For `npm run import` (no Nest container there): sets what a host's VMs claim to `claim`, the
   * sum of the imported VMs, whatever its capacity.
   */
  static async setClaimsOnImport(manager: EntityManager, hostUuid: string, claim: ComputeClaim): Promise<void> {
    await manager.query('UPDATE hosts SET used_vcpus = $2, used_memory = $3 WHERE uuid = $1', [hostUuid, claim.vcpus, claim.memory]);
  }

  /** Gives a VM's claim back to its host (never below zero). */
  async release(manager: EntityManager, hostUuid: string, claim: ComputeClaim): Promise<void> {
    await manager.query(
      `UPDATE hosts SET used_vcpus = greatest(0, used_vcpus - $2), used_memory = greatest(0, used_memory - $3)
        WHERE uuid = $1`,
      [hostUuid, claim.vcpus, claim.memory],
    );
  }

  /** These hosts as they are now (hosts deleted since are left out), for views that name them. */
  async summaries(uuids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, HostSummary>> {
    const wanted = [...new Set(uuids.filter((uuid) => uuid))];
    if (wanted.length === 0) return new Map();
    const hosts: HostSummary[] = await manager.query(`${SUMMARIES} WHERE h.uuid = ANY($1::uuid[])`, [wanted]);
    return new Map(hosts.map((host) => [host.uuid, host]));
  }
}
