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
  payload: { az_uuid: 'az-1', cluster_uuid: 'c-1', cpu_ratio: 2, memory_ratio: 1.5, reserved_vcpus: 1, reserved_memory: 1024 },
  state: 0,
  message: '',
  created_at: '2026-01-01T00:00:00.000Z',
  deadline_at: '2026-01-01T00:05:00.000Z',
  finished_at: null,
  ...overrides,
});

describe('the sim driver', () => {
  const node = { name: 'sim-1', vcpus: 8, memory: 2 ** 34 };

  it('reports the capacity and addresses it was given, no domains, and a problem when told', () => {
    const driver = new SimDriver({ ...node, rack: 'r1', manageIp: '10.0.0.9', nodeIp: '10.1.0.9', storageIp: '10.2.0.9' });
    expect(JSON.parse(JSON.stringify(driver.report()))).toEqual({
      name: 'sim-1',
      physical_vcpus: 8,
      physical_memory: 2 ** 34,
      rack_name: 'r1',
      manage_ip: '10.0.0.9',
      node_ip: '10.1.0.9',
      storage_ip: '10.2.0.9',
      domains: 0,
      active_domains: 0,
      used_vcpus: 0,
      used_memory: 0,
      active_used_vcpus: 0,
      active_used_memory: 0,
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
    expect(driver.node.membership).toEqual({
      az_uuid: 'az-1',
      cluster_uuid: 'c-1',
      cpu_ratio: 2,
      memory_ratio: 1.5,
      reserved_vcpus: 1,
      reserved_memory: 1024,
    });
  });

  it('fails a kind it does not implement, and a task whose payload it cannot use', async () => {
    const driver = new SimDriver(node);
    expect(await driver.apply(task({ resource_type: 'alert', operation: 'accept' }))).toEqual({
      state: 2,
      message: 'alert/accept is not supported by the sim driver',
    });
    expect(await driver.apply(task({ payload: {} }))).toEqual({
      state: 2,
      message: 'host/create: payload without az_uuid and cluster_uuid',
    });
    expect(await driver.apply(task({ payload: { az_uuid: 'az-1', cluster_uuid: 'c-1', cpu_ratio: '2' } }))).toEqual({
      state: 2,
      message: 'host/create: payload without a number in cpu_ratio',
    });
    expect(driver.node.membership).toBeUndefined();
  });

  it('fails the kinds it is told to (the same outcome again), and a seeded share of all tasks', async () => {
    const failing = new SimDriver({ ...node, fail: ['host/create'] });
    const failed = task();
    expect(await failing.apply(failed)).toEqual({
      state: 2,
      message: 'host/create failed on purpose (sim driver failure injection)',
    });
    expect(await failing.apply(failed)).toEqual(await failing.apply(failed));
    expect(failing.node.membership).toBeUndefined();
    const outcomes = async (seed: number) => {
      const driver = new SimDriver({ ...node, failureRate: 0.5, seed });
      return Promise.all(Array.from({ length: 40 }, () => driver.apply(task()).then((o) => o.state)));
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(first.filter((s) => s === 2).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 1).length).toBeGreaterThan(5);
  });

  it('takes the latency it is given, once per task', async () => {
    const driver = new SimDriver({ ...node, latencyMs: 400 });
    const slow = task();
    let started = performance.now();
    await driver.apply(slow);
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);
    started = performance.now();
    await driver.apply(slow);
    expect(performance.now() - started).toBeLessThan(200); // no second wait (room for a loaded CI runner)
  });
});
