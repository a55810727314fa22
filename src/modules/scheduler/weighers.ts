import { createHash } from 'node:crypto';
import type { HostCapacity } from '../hosts/host.port';
import type { PlacementRequest } from './filters';

/**
 * One of the scheduler's weighers (Nova's weighers; the Kubernetes scheduler's Score extension
 * point): a score in [0, 1] for a host that passed the filters, the higher the better, times its
 * multiplier.
 */
export interface HostWeigher {
  name: string;
  multiplier: number;
  score(host: HostCapacity, request: PlacementRequest): number;
}

const freeShare = (total: number, used: number) => (total > 0 ? Math.max(0, total - used) / total : 0);

/** The weighers: spread by default (the emptiest hosts first, by memory, then vCPUs). */
export const WEIGHERS: readonly HostWeigher[] = [
  { name: 'FreeMemory', multiplier: 1, score: (host) => freeShare(host.total_memory, host.used_memory) },
  { name: 'FreeVcpus', multiplier: 1, score: (host) => freeShare(host.total_vcpus, host.used_vcpus) },
];

/** A stable number in [0, 1) from the VM and the host: hosts of equal weight are taken in an order of their own per VM. */
function tieBreak(vmUuid: string, hostUuid: string): number {
  return createHash('sha256').update(vmUuid).update(hostUuid).digest().readUInt32BE(0) / 2 ** 32;
}

/** The hosts best first: by total weight, scores rounded so that near-equal hosts count as equal and the tie-break spreads concurrent VMs over them. */
export function rankHosts(
  hosts: readonly HostCapacity[],
  request: PlacementRequest,
  weighers: readonly HostWeigher[] = WEIGHERS,
): HostCapacity[] {
  const weighed = hosts.map((host) => ({
    host,
    weight: Math.round(weighers.reduce((sum, weigher) => sum + weigher.multiplier * weigher.score(host, request), 0) * 50),
    tie: tieBreak(request.vmUuid, host.uuid),
  }));
  weighed.sort((a, b) => b.weight - a.weight || a.tie - b.tie);
  return weighed.map(({ host }) => host);
}
