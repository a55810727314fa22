import { FakeControlPlane } from './fake-control-plane';
import { Fleet } from './fleet';

async function eventually(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the fleet simulator', () => {
  let fake: FakeControlPlane;
  let fleet: Fleet;

  beforeEach(() => {
    fake = new FakeControlPlane();
    fake.enrolDelayMs = 5;
    fleet = new Fleet({
      api: fake,
      joinToken: fake.joinToken,
      hosts: 12,
      vcpus: 16,
      memory: 2 ** 36,
      namePrefix: 'kwok',
      watchWait: 30,
      startConcurrency: 4,
      backoff: { firstMs: 10, maxMs: 40 },
    });
  });
  afterEach(() => fleet.stop());

  it('runs N real agents: each its own node, credential, heartbeats and tasks; enrolments a few at a time', async () => {
    await fleet.start();
    expect(fleet.agents).toHaveLength(12);
    expect(fake.nodes.size).toBe(12);
    expect(fake.maxEnrolling).toBeLessThanOrEqual(4);
    const nodes = [...fake.nodes.values()];
    expect(new Set(nodes.map((n) => n.credential)).size).toBe(12);
    expect(nodes.map((n) => n.enrolments[0].name).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `kwok-${i + 1}`).sort());
    expect(new Set(nodes.map((n) => n.enrolments[0].manage_ip)).size).toBe(12);
    expect(nodes.every((n) => n.enrolments[0].physical_vcpus === 16 && n.enrolments[0].physical_memory === 2 ** 36)).toBe(true);

    await eventually(() => nodes.every((n) => n.reports.length >= 2), 'every node beats');
    const adopted = fleet.agents.slice(0, 3).map((agent) => fake.adopt(agent.state.uuid));
    await eventually(() => fleet.stats().tasksSucceeded === 3, 'three host/create tasks succeed');
    expect(adopted.every((task) => fake.task(task.uuid)!.state === 1)).toBe(true);
    expect(fleet.drivers.map((d) => d.node.membership !== undefined)).toEqual([true, true, true, ...Array(9).fill(false)]);

    const stats = fleet.stats();
    expect(stats).toMatchObject({ agents: 12, running: 12, enrolments: 12, tasksFailed: 0, heartbeatFailures: 0, errors: 0 });
    expect(stats.heartbeats).toBeGreaterThanOrEqual(24);
    expect(stats.heartbeatP99).toBeGreaterThanOrEqual(stats.heartbeatP50);
  });

  it('stop(k) silences k agents, as dead nodes; the others beat on', async () => {
    await fleet.start();
    const stopped = await fleet.stop(5);
    expect(stopped).toHaveLength(5);
    expect(fleet.stats()).toMatchObject({ agents: 12, running: 7 });
    const silent = new Set(stopped.map((agent) => agent.state.uuid));
    const sent = fake.calls.length;

    await eventually(
      () => fleet.agents.filter((a) => a.running).every((a) => fake.nodes.get(a.state.uuid)!.reports.length >= 3),
      'the running agents beat on',
    );
    expect(fake.calls.slice(sent).filter((c) => silent.has(c.node!))).toEqual([]);
    expect(fake.calls.slice(sent).some((c) => c.node !== undefined && !silent.has(c.node))).toBe(true);

    // Stopping again takes the running ones only.
    expect(await fleet.stop(2)).not.toContain(stopped[0]);
    expect(fleet.stats().running).toBe(5);
  });
});
