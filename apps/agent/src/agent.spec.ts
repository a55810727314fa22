import { ChimeConnectionError } from '@chime/client';
import { Agent, type AgentOptions, type AgentState } from './agent';
import type { AgentTask, Driver, TaskOutcome } from './driver';
import { apiError, FakeControlPlane } from './fake-control-plane';
import { SimDriver } from './sim-driver';

/** Polls until `check` holds (the agent works on timers of tens of milliseconds here). */
async function eventually(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sim driver, counting how often the agent hands it each task and how many it holds at once. */
class CountingDriver implements Driver {
  readonly name = 'sim';
  readonly given = new Map<string, number>();
  running = 0;
  mostAtOnce = 0;
  constructor(readonly sim: SimDriver) {}
  report() {
    return this.sim.report();
  }
  async apply(task: AgentTask): Promise<TaskOutcome> {
    this.given.set(task.uuid, (this.given.get(task.uuid) ?? 0) + 1);
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.running);
    try {
      return await this.sim.apply(task);
    } finally {
      this.running--;
    }
  }
}

describe('the agent', () => {
  let fake: FakeControlPlane;
  const agents: Agent[] = [];
  const logs: string[] = [];
  const newAgent = (options: Partial<AgentOptions> & { driver: Driver }) => {
    const agent = new Agent({
      api: fake,
      joinToken: fake.joinToken,
      watchWait: 30,
      backoff: { firstMs: 10, maxMs: 40 },
      log: (line) => logs.push(line),
      ...options,
    });
    agents.push(agent);
    return agent;
  };
  const sim = (latencyMs = 0) => new SimDriver({ name: 'node-1', vcpus: 8, memory: 2 ** 33, manageIp: '10.0.0.1', latencyMs });

  beforeEach(() => {
    fake = new FakeControlPlane();
    logs.length = 0;
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
    jest.restoreAllMocks();
  });

  it('enrols with its node facts, then beats with its report every heartbeat_interval', async () => {
    const saved: AgentState[] = [];
    const driver = sim();
    const agent = newAgent({ driver, saveState: (state) => saved.push({ ...state }) });
    await agent.start();

    const node = fake.nodes.get(agent.state.uuid)!;
    expect(agent.state.credential).toBe(node.credential);
    expect(saved.at(-1)).toEqual({ uuid: agent.state.uuid, credential: node.credential, cursor: 0 });
    expect(node.enrolments).toEqual([
      {
        uuid: agent.state.uuid,
        join_token: fake.joinToken,
        name: 'node-1',
        rack_name: '',
        manage_ip: '10.0.0.1',
        physical_vcpus: 8,
        physical_memory: 2 ** 33,
      },
    ]);

    const beats: number[] = [];
    const heartbeat = fake.heartbeat.bind(fake);
    jest.spyOn(fake, 'heartbeat').mockImplementation((report, call) => (beats.push(performance.now()), heartbeat(report, call)));
    await eventually(() => beats.length >= 6, 'six heartbeats');
    // The interval the server gave (50 ms), not faster: no busy loop. Judged on the mean of five
    // intervals: the agent keeps a fixed rate, so one beat late on a busy machine (a GC pause, a
    // 2-core CI runner) makes the next interval short by as much; a busy loop beats every few ms.
    expect((beats.at(-1)! - beats[0]) / (beats.length - 1)).toBeGreaterThanOrEqual(45);
    expect(node.reports[0]).toEqual(driver.report());
    expect(fake.calls.filter((c) => c.operation !== 'enrol').every((c) => c.credential === node.credential)).toBe(true);

    driver.setError('disk /dev/sdb failing');
    await eventually(() => node.reports.at(-1)!.error === 'disk /dev/sdb failing', 'the problem is reported');
    expect(agent.stats).toMatchObject({ enrolments: 1, heartbeatFailures: 0, errors: 0 });
  });

  it('beats first at a random moment of the interval when asked to spread', async () => {
    fake.heartbeatInterval = 0.2;
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const agent = newAgent({ driver: sim(), spreadFirstBeat: true });
    const started = performance.now();
    await agent.start();
    await eventually(() => agent.stats.heartbeats === 1, 'the first heartbeat');
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('applies the tasks it watches, reports their outcomes and moves its cursor', async () => {
    const saved: AgentState[] = [];
    const driver = sim();
    const agent = newAgent({ driver, saveState: (state) => saved.push({ ...state }) });
    await agent.start();
    await eventually(() => fake.callsOf('listTasks').length >= 2, 'the watch is held');

    const created = fake.adopt(agent.state.uuid);
    const unknown = fake.addTask(agent.state.uuid, { resource_type: 'alert', operation: 'accept' });
    await eventually(() => fake.task(unknown.uuid)!.state !== 0, 'both are reported');
    expect(fake.task(created.uuid)).toMatchObject({ state: 1 });
    expect(fake.task(unknown.uuid)).toMatchObject({ state: 2, message: 'alert/accept is not supported by the sim driver' });
    expect(driver.node.membership).toMatchObject({
      cluster_uuid: fake.nodes.get(agent.state.uuid)!.host!.cluster_uuid,
      cpu_ratio: 2,
    });
    expect(agent.state.cursor).toBe(2);
    expect(saved.at(-1)!.cursor).toBe(2);
    expect(agent.stats).toMatchObject({ tasksSucceeded: 1, tasksFailed: 1 });

    await eventually(() => logs.some((line) => line.includes('adopted as host')), 'the adoption is logged');
    expect(logs.filter((line) => / task .* (succeeded|failed)/.test(line))).toHaveLength(2);
  });

  it('after a restart mid-task takes up its unfinished tasks again, each applied once, and keeps its cursor', async () => {
    const driver = new CountingDriver(sim(150));
    const first = newAgent({ driver });
    await first.start();
    const interrupted = fake.adopt(first.state.uuid);
    await eventually(() => first.state.cursor === 1 && driver.running === 1, 'the first agent works on the task');
    await first.stop(); // the process dies; the node and its driver's work go on
    expect(fake.task(interrupted.uuid)!.state).toBe(0);
    const saved = { ...first.state };
    expect(saved.cursor).toBe(1);

    // While no agent runs, the server creates another task.
    const later = fake.addTask(saved.uuid, { resource_type: 'host', operation: 'create', payload: interrupted.payload });
    const callsBefore = fake.calls.length;
    const second = newAgent({ driver, state: { ...saved } });
    await second.start();
    await eventually(() => fake.task(later.uuid)!.state === 1 && fake.task(interrupted.uuid)!.state === 1, 'both succeed');

    const calls = fake.calls.slice(callsBefore);
    expect(calls.some((c) => c.operation === 'enrol')).toBe(false); // the same node, its saved credential
    const lists = calls.filter((c) => c.operation === 'listTasks');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(second.state).toMatchObject({ uuid: saved.uuid, credential: saved.credential, cursor: 2 });
    expect(driver.sim.workDone.get(interrupted.uuid)).toBe(1);
    expect(driver.sim.workDone.get(later.uuid)).toBe(1);
    expect(fake.callsOf('reportTask')).toHaveLength(2);
    expect(second.stats).toMatchObject({ tasksSucceeded: 2, enrolments: 0 });
  });

  it('lists the unfinished tasks first (state=0), then watches from the head', async () => {
    const driver = sim();
    const listed: { after?: number; state?: number; wait?: number }[] = [];
    const list = fake.listTasks.bind(fake);
    jest.spyOn(fake, 'listTasks').mockImplementation((query, call) => (listed.push({ ...query }), list(query, call)));
    const first = newAgent({ driver });
    await first.start();
    await first.stop();
    const adoption = fake.adopt(first.state.uuid);
    const done = fake.addTask(first.state.uuid, { resource_type: 'vm', operation: 'start' });
    fake.settle(done, { state: 2, message: 'timed out' });
    fake.addTask(first.state.uuid, { resource_type: 'host', operation: 'create', payload: adoption.payload });
    listed.length = 0;

    const second = newAgent({ driver, state: { ...first.state } });
    await second.start();
    await eventually(() => listed.length >= 2, 'the resume and the watch');
    expect(listed[0]).toMatchObject({ after: 0, state: 0 });
    expect(listed[0].wait).toBeUndefined();
    expect(listed[1]).toEqual({ after: 3, wait: 30, limit: 100 });
    await eventually(() => second.stats.tasksSucceeded === 2, 'the unfinished tasks are done');
    expect(fake.callsOf('reportTask')).toHaveLength(2);
  });

  it('watches from the head when the server has fewer tasks than its saved cursor (a database restored)', async () => {
    const first = newAgent({ driver: sim() });
    await first.start();
    await first.stop();
    const second = newAgent({ driver: sim(), state: { ...first.state, cursor: 5 } });
    await second.start();
    await eventually(() => second.state.cursor === 0, 'the cursor at the head');
    expect(logs.some((line) => line.includes("the server's last task is 0, below the saved cursor 5"))).toBe(true);
    const task = fake.adopt(first.state.uuid);
    await eventually(() => fake.task(task.uuid)!.state === 1, 'task 1 is done, not skipped');
  });

  it('ends its held watch when a heartbeat cannot reach the server, and watches again', async () => {
    const agent = newAgent({ driver: sim() });
    await agent.start();
    await eventually(() => fake.callsOf('listTasks').length === 2, 'the watch is held'); // held 10 s
    fake.failNext('heartbeat', new ChimeConnectionError('fake', 'ECONNREFUSED'));
    await eventually(() => fake.callsOf('listTasks').length === 3, 'a new watch');
    expect(agent.stats).toMatchObject({ heartbeatFailures: 1, errors: 1 });
    expect(logs.filter((line) => line.includes('heartbeat failed: ECONNREFUSED'))).toHaveLength(1);
    await eventually(() => logs.some((line) => line.includes('heartbeats answered again')), 'the recovery is logged');
  });

  it('does not spin when its watches are answered at once with nothing', async () => {
    fake.maxHoldMs = 0;
    const agent = newAgent({ driver: sim() });
    await agent.start();
    await pause(300);
    expect(fake.callsOf('listTasks').length).toBeLessThan(60); // back-off 10 ms here, 1 s by default
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => fake.task(task.uuid)!.state === 1, 'a task still comes through');
  });

  it('hands a task delivered again while in hand to the driver once, and a task over to it once', async () => {
    const driver = new CountingDriver(sim(200));
    const agent = newAgent({ driver });
    await agent.start();
    await eventually(() => fake.callsOf('listTasks').length >= 2, 'the watch is held');
    // The next watch after the task loses its connection: the agent resumes, and lists the task again.
    fake.failNext('listTasks', new ChimeConnectionError('fake', 'socket hang up'));
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => fake.task(task.uuid)!.state === 1, 'the task succeeds');
    expect(logs.some((line) => line.includes('watch failed (socket hang up)'))).toBe(true);
    expect(driver.given.get(task.uuid)).toBe(1);
    expect(driver.mostAtOnce).toBe(1);
    expect(fake.callsOf('reportTask')).toHaveLength(1);
  });

  it('reports again when the answer to its report is lost, and the task is applied once', async () => {
    const driver = sim();
    const agent = newAgent({ driver });
    await agent.start();
    fake.loseNextAnswer('reportTask');
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => agent.stats.tasksSucceeded === 1, 'the report is taken');
    expect(fake.callsOf('reportTask')).toHaveLength(2); // the server took the same report twice: "ok"
    expect(fake.task(task.uuid)!.state).toBe(1);
    expect(driver.workDone.get(task.uuid)).toBe(1);
  });

  it('retries a report on 5xx and lost connections, with back-off, until the server has it', async () => {
    const agent = newAgent({ driver: sim() });
    await agent.start();
    fake.failNext(
      'reportTask',
      apiError(500, 'UNAVAILABLE', 'the database cannot be reached'),
      new ChimeConnectionError('fake', 'ECONNREFUSED'),
    );
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => fake.task(task.uuid)!.state === 1, 'the report is taken');
    expect(fake.callsOf('reportTask')).toHaveLength(3);
    expect(agent.stats).toMatchObject({ tasksSucceeded: 1, errors: 2 });
  });

  it('does not report again a task the server settled already (400 FAILED_PRECONDITION)', async () => {
    const agent = newAgent({ driver: sim(100) });
    await agent.start();
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => agent.state.cursor === 1, 'the task is in hand');
    fake.settle(fake.task(task.uuid)!, { state: 2, message: 'timed out: no agent reported an outcome' });
    await eventually(() => logs.some((line) => line.includes('the server settled it already')), 'the refusal is logged');
    await pause(100);
    expect(fake.callsOf('reportTask')).toHaveLength(1);
    expect(fake.task(task.uuid)).toMatchObject({ state: 2, message: 'timed out: no agent reported an outcome' });
    expect(agent.stats).toMatchObject({ tasksSucceeded: 0, tasksFailed: 0 });
  });

  it('enrols again with its join token after a 401, once, and carries on with the new credential', async () => {
    const saved: AgentState[] = [];
    const agent = newAgent({ driver: sim(), saveState: (state) => saved.push({ ...state }) });
    await agent.start();
    const old = agent.state.credential;
    await eventually(() => agent.stats.heartbeats >= 1, 'a heartbeat');

    fake.revoke(agent.state.uuid); // its host was deleted
    const callsBefore = fake.calls.length;
    await eventually(() => agent.stats.enrolments === 2, 'the second enrolment');
    const node = fake.nodes.get(agent.state.uuid)!;
    expect(agent.state.credential).toBe(node.credential);
    expect(agent.state.credential).not.toBe(old);
    expect(saved.at(-1)!.credential).toBe(node.credential);
    const beats = agent.stats.heartbeats;
    await eventually(() => agent.stats.heartbeats >= beats + 2, 'heartbeats again');
    await pause(150);
    // One enrolment: the loops that were refused too do not enrol again (that would revoke the new credential).
    expect(agent.stats.enrolments).toBe(2);
    const after = fake.calls.slice(callsBefore);
    const enrolment = after.findIndex((c) => c.operation === 'enrol');
    expect(after.slice(enrolment + 1).find((c) => c.operation === 'listTasks')).toMatchObject({ credential: node.credential });
    expect(after.slice(enrolment + 1).every((c) => c.credential === node.credential)).toBe(true);

    // It is a client again: adopted anew, it does its task.
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => fake.task(task.uuid)!.state === 1, 'the new host/create succeeds');
  });

  it('without a join token, says after a 401 that it cannot enrol again', async () => {
    const first = newAgent({ driver: sim() });
    await first.start();
    await first.stop();
    const agent = newAgent({ driver: sim(), state: { ...first.state }, joinToken: undefined });
    fake.revoke(first.state.uuid);
    await agent.start();
    await eventually(() => logs.some((line) => line.includes('cannot enrol again: no join token was given')), 'the log');
    expect(fake.callsOf('enrol')).toHaveLength(1);
  });

  it('stop() ends a held watch and a task in hand at once, and sends nothing more', async () => {
    const driver = new CountingDriver(sim(1000));
    const agent = newAgent({ driver });
    await agent.start();
    const task = fake.adopt(agent.state.uuid);
    await eventually(() => driver.running === 1, 'the task is in hand');
    await eventually(() => fake.callsOf('listTasks').length >= 3, 'the watch is held again'); // resume, watch, watch

    const started = performance.now();
    await agent.stop();
    // The watch is held 10 s and the task takes 1 s; the bound leaves room for a loaded CI runner.
    expect(performance.now() - started).toBeLessThan(500);
    expect(agent.running).toBe(false);
    const sent = fake.calls.length;
    await eventually(() => driver.running === 0, "the task's outcome is ready");
    await pause(150); // heartbeats due
    expect(fake.calls.length).toBe(sent);
    expect(fake.task(task.uuid)!.state).toBe(0); // a dead node reports nothing
  });
});
