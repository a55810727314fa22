import type { AgentTask } from './driver';
import { SimDriver } from './sim-driver';

let sequence = 0;
const task = (operation: string, resource_uuid: string, payload: Record<string, unknown>): AgentTask => ({
  uuid: `t-${++sequence}`,
  seq: sequence,
  request_id: null,
  resource_type: 'vm',
  resource_uuid,
  operation,
  description: '',
  payload,
  state: 0,
  message: '',
  created_at: '2026-01-01T00:00:00.000Z',
  deadline_at: '2026-01-01T00:05:00.000Z',
  finished_at: null,
});

const GIB = 2 ** 30;
const root = {
  uuid: 'vol-root',
  target: 'vda',
  size: 10 * GIB,
  format: 'qcow2',
  backend_path: '/srv/vol',
  image: { uuid: 'img' },
};
const create = (uuid: string) =>
  task('create', uuid, { vcpus: 2, memory: 4 * GIB, volumes: [root], nics: [{ uuid: 'nic-1', mac: '52:54:00:00:00:01' }] });

describe('the sim driver: compute kinds', () => {
  const driver = () => new SimDriver({ name: 'sim', vcpus: 16, memory: 64 * GIB });

  it('creates a VM once: its volumes, its domain running, a console port; the node reports it', async () => {
    const sim = driver();
    const first = create('vm-1');
    expect(await sim.apply(first)).toEqual({ state: 1, result: { vnc_port: 5900 } });
    expect(await sim.apply(create('vm-1'))).toEqual({ state: 1, result: { vnc_port: 5900 } });
    expect(await sim.apply(create('vm-2'))).toEqual({ state: 1, result: { vnc_port: 5901 } });
    expect(sim.node.volumes.get('vol-root')?.install_path).toBe('/srv/vol/vol-root.qcow2');
    expect(sim.node.images.has('img')).toBe(true);
    expect(sim.node.domains.get('vm-1')).toMatchObject({ vcpus: 2, memory: 4 * GIB, running: true });
    expect(sim.report()).toMatchObject({ domains: 2, active_domains: 2, used_vcpus: 4, used_memory: 8 * GIB });
  });

  it('stops, starts, attaches and detaches devices, and deletes a VM with its disks', async () => {
    const sim = driver();
    await sim.apply(create('vm-1'));
    expect(await sim.apply(task('stop', 'vm-1', {}))).toEqual({ state: 1 });
    expect(sim.report()).toMatchObject({ domains: 1, active_domains: 0, active_used_vcpus: 0 });
    expect(await sim.apply(task('start', 'vm-1', {}))).toEqual({ state: 1, result: { vnc_port: 5900 } });
    await sim.apply(task('attach_volume', 'vm-1', { volume: { uuid: 'vol-data', target: 'vdb' } }));
    await sim.apply(task('attach_nic', 'vm-1', { nic: { uuid: 'nic-2', mac: '52:54:00:00:00:02' } }));
    expect([...sim.node.domains.get('vm-1')!.disks]).toEqual([
      ['vol-root', 'vda'],
      ['vol-data', 'vdb'],
    ]);
    await sim.apply(task('detach_volume', 'vm-1', { volume: { uuid: 'vol-data' } }));
    await sim.apply(task('detach_nic', 'vm-1', { nic: { uuid: 'nic-2' } }));
    expect([...sim.node.domains.get('vm-1')!.nics.keys()]).toEqual(['nic-1']);
    expect(await sim.apply(task('delete', 'vm-1', {}))).toEqual({ state: 1 });
    expect(sim.node.domains.size).toBe(0);
    expect(sim.node.volumes.has('vol-root')).toBe(false);
    expect(await sim.apply(task('delete', 'vm-1', {}))).toEqual({ state: 1 });
  });

  it('takes a migrating VM over with its local volumes, and lets a released one go', async () => {
    const source = driver();
    const target = driver();
    await source.apply(create('vm-1'));
    const migrate = task('migrate', 'vm-1', {
      source_host_uuid: 'h-1',
      target_host_uuid: 'h-2',
      live: true,
      vcpus: 2,
      memory: 4 * GIB,
      volumes: [root],
      local_volumes: ['vol-root'],
      nics: [{ uuid: 'nic-1', mac: '52:54:00:00:00:01' }],
    });
    expect(await target.apply(migrate)).toEqual({ state: 1, result: { vnc_port: 5900 } });
    expect(target.node.domains.get('vm-1')).toMatchObject({ running: true, vcpus: 2 });
    expect(target.node.volumes.has('vol-root')).toBe(true);
    expect(await source.apply(task('release', 'vm-1', { local_volumes: ['vol-root'] }))).toEqual({ state: 1 });
    expect(source.node.domains.size).toBe(0);
    expect(source.node.volumes.size).toBe(0);
  });

  it('fails what it cannot do: an unknown VM, a payload without what it needs', async () => {
    const sim = driver();
    expect(await sim.apply(task('stop', 'nope', {}))).toEqual({ state: 2, message: 'vm/stop: VM nope is not on this node' });
    expect(await sim.apply(task('create', 'vm-3', { vcpus: 1, memory: GIB, nics: [] }))).toEqual({
      state: 2,
      message: 'vm/create: payload without a list in volumes',
    });
  });
});
