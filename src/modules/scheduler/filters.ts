import { HostState, MonitorState, type HostCapacity } from '../hosts/host.port';

/** What a VM asks of a host. */
export interface PlacementRequest {
  /** The VM being placed (ties between equal hosts are broken by it, so concurrent VMs spread). */
  vmUuid: string;
  clusterUuid: string;
  vcpus: number;
  memory: number;
  /** A host the request pins (administrators' `host_uuid`, a migration's target). */
  hostUuid?: string;
  /** Hosts it must not go to (the one a VM leaves; hosts a drain, migration or rebuild is emptying). */
  excluded?: ReadonlySet<string>;
}

/**
 * One of the scheduler's filters (Nova's filter scheduler; the Kubernetes scheduler's Filter
 * extension point): a host passes or not, and when a filter leaves no host, `why` says so in the
 * words a user reads ("3 hosts have fewer than 4 vCPUs free").
 */
export interface HostFilter {
  name: string;
  passes(host: HostCapacity, request: PlacementRequest): boolean;
  /** Why `count` hosts failed it. */
  why(count: number, request: PlacementRequest): string;
}

const are = (count: number) => (count === 1 ? '1 host is' : `${count} hosts are`);
const have = (count: number) => (count === 1 ? '1 host has' : `${count} hosts have`);
const gib = (value: number) => `${Number.isInteger(value / 2 ** 30) ? value / 2 ** 30 : (value / 2 ** 30).toFixed(2)} GiB`;

/** The filters, in the order they run: cheap and decisive first. */
export const FILTERS: readonly HostFilter[] = [
  {
    name: 'Pinned',
    passes: (host, request) => request.hostUuid === undefined || host.uuid === request.hostUuid,
    why: (_count, request) => `host ${request.hostUuid} is not a host of cluster ${request.clusterUuid}`,
  },
  {
    name: 'NotExcluded',
    passes: (host, request) => !request.excluded?.has(host.uuid),
    why: (count) => `${are(count)} excluded (the VM's own host, or being drained, migrated or rebuilt)`,
  },
  {
    name: 'Enabled',
    passes: (host) => host.state === HostState.Enabled,
    why: (count) => `${are(count)} disabled or suspended`,
  },
  {
    name: 'Reachable',
    passes: (host) => host.monitor_state !== MonitorState.Unreachable,
    why: (count) => `${are(count)} unreachable`,
  },
  {
    name: 'EnoughVcpus',
    passes: (host, request) => host.total_vcpus - host.used_vcpus >= request.vcpus,
    why: (count, request) => `${have(count)} fewer than ${request.vcpus} vCPUs free`,
  },
  {
    name: 'EnoughMemory',
    passes: (host, request) => host.total_memory - host.used_memory >= request.memory,
    why: (count, request) => `${have(count)} less than ${gib(request.memory)} of memory free`,
  },
];

/** The hosts that pass every filter, and what each filter ruled out. */
export function filterHosts(
  candidates: readonly HostCapacity[],
  request: PlacementRequest,
  filters: readonly HostFilter[] = FILTERS,
): { passed: HostCapacity[]; ruledOut: { filter: HostFilter; count: number }[] } {
  let remaining = [...candidates];
  const ruledOut: { filter: HostFilter; count: number }[] = [];
  for (const filter of filters) {
    const kept = remaining.filter((host) => filter.passes(host, request));
    if (kept.length < remaining.length) ruledOut.push({ filter, count: remaining.length - kept.length });
    remaining = kept;
  }
  return { passed: remaining, ruledOut };
}

/** Why nothing fits, in one sentence ("no host in cluster X can take a VM of 4 vCPUs and 8 GiB: 3 hosts have …"). */
export function nothingFits(
  request: PlacementRequest,
  total: number,
  ruledOut: readonly { filter: HostFilter; count: number }[],
): string {
  const what = `a VM of ${request.vcpus} vCPUs and ${gib(request.memory)}`;
  if (total === 0) return `no host in cluster ${request.clusterUuid} can take ${what}: the cluster has no hosts`;
  const pinned = ruledOut.find(({ filter }) => filter.name === 'Pinned');
  if (pinned && pinned.count === total) return pinned.filter.why(pinned.count, request);
  const reasons = ruledOut
    .filter(({ filter }) => filter.name !== 'Pinned')
    .map(({ filter, count }) => filter.why(count, request));
  const who = request.hostUuid ? `host ${request.hostUuid} cannot` : `no host in cluster ${request.clusterUuid} can`;
  return `${who} take ${what}: ${reasons.join('; ')}`;
}
