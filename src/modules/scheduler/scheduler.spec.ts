import { HostState, MonitorState, type HostCapacity } from '../hosts/host.port';
import { filterHosts, nothingFits, type PlacementRequest } from './filters';
import { rankHosts } from './weighers';

const GIB = 2 ** 30;

function host(uuid: string, free: { vcpus?: number; memory?: number } = {}, extra: Partial<HostCapacity> = {}): HostCapacity {
  return {
    uuid,
    name: `host-${uuid}`,
    az_uuid: 'az',
    cluster_uuid: 'c-1',
    manage_ip: '10.0.0.1',
    state: HostState.Enabled,
    monitor_state: MonitorState.Reachable,
    total_vcpus: 16,
    used_vcpus: 16 - (free.vcpus ?? 16),
    total_memory: 64 * GIB,
    used_memory: 64 * GIB - (free.memory ?? 64 * GIB),
    ...extra,
  };
}

const request = (extra: Partial<PlacementRequest> = {}): PlacementRequest => ({
  vmUuid: 'vm-1',
  clusterUuid: 'c-1',
  vcpus: 4,
  memory: 8 * GIB,
  ...extra,
});

describe('the scheduler', () => {
  it('keeps the hosts with room that take work, and says why the others were ruled out', () => {
    const hosts = [
      host('a'),
      host('b', { vcpus: 2 }),
      host('c', { memory: 4 * GIB }),
      host('d', {}, { state: HostState.Disabled }),
      host('e', {}, { monitor_state: MonitorState.Unreachable }),
      host('f', { vcpus: 3 }),
    ];
    const { passed, ruledOut } = filterHosts(hosts, request());
    expect(passed.map((h) => h.uuid)).toEqual(['a']);
    expect(ruledOut.map(({ filter, count }) => [filter.name, count])).toEqual([
      ['Enabled', 1],
      ['Reachable', 1],
      ['EnoughVcpus', 2],
      ['EnoughMemory', 1],
    ]);
  });

  it('says why nothing fits in the words a user reads', () => {
    const hosts = [
      host('a', { vcpus: 2 }),
      host('b', { vcpus: 1 }),
      host('c', { memory: GIB }),
      host('d', {}, { state: HostState.Suspended }),
    ];
    const { passed, ruledOut } = filterHosts(hosts, request());
    expect(passed).toEqual([]);
    expect(nothingFits(request(), hosts.length, ruledOut)).toBe(
      'no host in cluster c-1 can take a VM of 4 vCPUs and 8 GiB: 1 host is disabled or suspended; ' +
        '2 hosts have fewer than 4 vCPUs free; 1 host has less than 8 GiB of memory free',
    );
    expect(nothingFits(request(), 0, [])).toBe(
      'no host in cluster c-1 can take a VM of 4 vCPUs and 8 GiB: the cluster has no hosts',
    );
  });

  it('checks a pinned host like any other, and names it', () => {
    const hosts = [host('a'), host('b', { vcpus: 1 })];
    expect(filterHosts(hosts, request({ hostUuid: 'a' })).passed.map((h) => h.uuid)).toEqual(['a']);
    const pinnedFull = filterHosts(hosts, request({ hostUuid: 'b' }));
    expect(pinnedFull.passed).toEqual([]);
    expect(nothingFits(request({ hostUuid: 'b' }), 2, pinnedFull.ruledOut)).toBe(
      'host b cannot take a VM of 4 vCPUs and 8 GiB: 1 host has fewer than 4 vCPUs free',
    );
    const elsewhere = filterHosts(hosts, request({ hostUuid: 'z' }));
    expect(nothingFits(request({ hostUuid: 'z' }), 2, elsewhere.ruledOut)).toBe('host z is not a host of cluster c-1');
  });

  it('leaves excluded hosts out', () => {
    const { passed } = filterHosts([host('a'), host('b')], request({ excluded: new Set(['a']) }));
    expect(passed.map((h) => h.uuid)).toEqual(['b']);
  });

  it('spreads: the emptiest host first', () => {
    const ranked = rankHosts(
      [host('full', { vcpus: 4, memory: 8 * GIB }), host('empty'), host('half', { vcpus: 8, memory: 32 * GIB })],
      request(),
    );
    expect(ranked.map((h) => h.uuid)).toEqual(['empty', 'half', 'full']);
  });

  it('spreads concurrent VMs over equal hosts instead of sending them all to one', () => {
    const hosts = Array.from({ length: 8 }, (_, i) => host(`h${i}`));
    const firsts = new Set(Array.from({ length: 64 }, (_, i) => rankHosts(hosts, request({ vmUuid: `vm-${i}` }))[0].uuid));
    expect(firsts.size).toBeGreaterThanOrEqual(6);
  });
});
