import type { AgentTask } from './driver';
import { SimDriver } from './sim-driver';

let sequence = 0;
const task = (resource_type: string, operation: string, resource_uuid: string, payload: Record<string, unknown>): AgentTask => ({
  uuid: `t-${++sequence}`,
  seq: sequence,
  request_id: null,
  resource_type,
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

const create = (uuid: string, extra: Record<string, unknown> = {}) =>
  task('volume', 'create', uuid, { size: 2 ** 30, format: 'qcow2', backend_path: '/srv/vol/', image: null, ...extra });

describe('the sim driver: storage kinds', () => {
  const driver = () => new SimDriver({ name: 'sim', vcpus: 4, memory: 2 ** 33 });

  it('creates a volume in the pool backend path, from an image it caches first, once', async () => {
    const sim = driver();
    const image = { uuid: 'img-1', install_url: 'https://mirror/c.qcow2', format: 'qcow2', size: 1 };
    const first = create('v-1', { image });
    expect(await sim.apply(first)).toEqual({ state: 1, result: { install_path: '/srv/vol/v-1.qcow2', format: 'qcow2' } });
    expect(sim.node.images.has('img-1')).toBe(true);
    expect(await sim.apply(create('v-1'))).toEqual({ state: 1, result: { install_path: '/srv/vol/v-1.qcow2', format: 'qcow2' } });
    expect(sim.node.volumes.size).toBe(1);
  });

  it('fails a creation whose payload lacks what it needs', async () => {
    const outcome = await driver().apply(task('volume', 'create', 'v-2', { format: 'qcow2', backend_path: '/x' }));
    expect(outcome).toEqual({ state: 2, message: 'volume/create: payload without a number in size' });
  });

  it('snapshots, restores and deletes: the volume keeps what each snapshot kept', async () => {
    const sim = driver();
    await sim.apply(create('v-3'));
    expect((await sim.apply(task('snapshot', 'create', 's-1', { volume_uuid: 'v-3', volume_version: 0 }))).state).toBe(1);
    expect(sim.node.volumes.get('v-3')?.snapshots.get('s-1')).toBe(0);
    expect(await sim.apply(task('volume', 'restore', 'v-3', { snapshot_uuid: 's-1' }))).toEqual({
      state: 1,
      result: { volume_version: 0 },
    });
    expect(await sim.apply(task('volume', 'restore', 'v-3', { snapshot_uuid: 's-9' }))).toMatchObject({
      state: 2,
      message: expect.stringMatching(/snapshot s-9 is not on volume v-3/),
    });
    expect((await sim.apply(task('snapshot', 'delete', 's-1', { volume_uuid: 'v-3' }))).state).toBe(1);
    expect(sim.node.volumes.get('v-3')?.snapshots.size).toBe(0);
    expect((await sim.apply(task('volume', 'delete', 'v-3', {}))).state).toBe(1);
    // Gone already: deleting it again is no error (the outcome is the same).
    expect((await sim.apply(task('volume', 'delete', 'v-3', {}))).state).toBe(1);
    expect(sim.node.volumes.size).toBe(0);
  });

  it('refuses a snapshot of a volume it does not hold', async () => {
    expect(await driver().apply(task('snapshot', 'create', 's-2', { volume_uuid: 'nope', volume_version: 0 }))).toMatchObject({
      state: 2,
      message: 'snapshot/create: volume nope is not on this node',
    });
  });

  it('fails the kinds it is told to fail', async () => {
    const sim = new SimDriver({ name: 'sim', vcpus: 4, memory: 2 ** 33, fail: ['volume/create'] });
    expect(await sim.apply(create('v-4'))).toMatchObject({ state: 2, message: expect.stringMatching(/failed on purpose/) });
    expect(sim.node.volumes.size).toBe(0);
  });
});
