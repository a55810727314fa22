import type { AgentTask } from './driver';
import { SimDriver } from './sim-driver';

const task = (overrides: Partial<AgentTask> = {}): AgentTask => ({
  uuid: `t-${Math.random()}`,
  seq: 1,
  request_id: null,
  resource_type: 'host',
  resource_uuid: 'h-1',
  operation: 'create',
  description: '',
  payload: { az_uuid: 'az-1', cluster_uuid: 'c-1' },
  state: 0,
  message: '',
  created_at: '2026-01-01T00:00:00.000Z',
  deadline_at: '2026-01-01T00:05:00.000Z',
  finished_at: null,
  ...overrides,
});

describe('the sim driver', () => {
  const node = { name: 'sim-1', vcpus: 8, memory: 2 ** 34 };

  it('reports the capacity it was given, and a problem when told', () => {
    const driver = new SimDriver({ ...node, rack: 'r1', manageIp: '10.0.0.9' });
    expect(driver.report()).toMatchObject({
      name: 'sim-1',
      physical_vcpus: 8,
      physical_memory: 2 ** 34,
      rack_name: 'r1',
      manage_ip: '10.0.0.9',
      error: '',
    });
    driver.setError('disk failing');
    expect(driver.report().error).toBe('disk failing');
  });

  it('joins a cluster on host/create, and applies a task once however often it is given', async () => {
    const driver = new SimDriver(node);
    const created = task();
    const outcomes = await Promise.all([driver.apply(created), driver.apply(created)]);
    expect(await driver.apply(created)).toEqual({ state: 1, result: { cluster_uuid: 'c-1' } });
    expect(outcomes).toEqual([outcomes[0], outcomes[0]]);
    expect(driver.workDone.get(created.uuid)).toBe(1);
    expect(driver.node.membership).toEqual({ az_uuid: 'az-1', cluster_uuid: 'c-1' });
  });

  it('fails a kind it does not implement, and a task whose payload it cannot use', async () => {
    const driver = new SimDriver(node);
    expect(await driver.apply(task({ resource_type: 'vm', operation: 'start' }))).toEqual({
      state: 2,
      message: 'vm/start is not supported by the sim driver',
    });
    expect(await driver.apply(task({ payload: {} }))).toEqual({
      state: 2,
      message: 'host/create: payload without az_uuid and cluster_uuid',
    });
  });

  it('fails the kinds it is told to, and a seeded share of all tasks', async () => {
    expect(await new SimDriver({ ...node, fail: ['host/create'] }).apply(task())).toMatchObject({
      state: 2,
      message: expect.stringMatching(/on purpose/),
    });
    const outcomes = async (seed: number) => {
      const driver = new SimDriver({ ...node, failureRate: 0.5, seed });
      return Promise.all(Array.from({ length: 40 }, () => driver.apply(task()).then((o) => o.state)));
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(first.filter((s) => s === 2).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 1).length).toBeGreaterThan(5);
  });

  it('takes the latency it is given', async () => {
    const driver = new SimDriver({ ...node, latencyMs: 150 });
    const started = Date.now();
    await driver.apply(task());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
