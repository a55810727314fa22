import { randomUUID } from 'node:crypto';
import { SubscriptionRunner, UnitOfWork, SERVER_ORIGIN } from '@chime/event-log';
import { eventually } from './support/eventually';
import { FlakyConsumer, PoisonPill, ProbeConsumersModule, ProbeHappened } from './support/probe-consumers.module';
import { createTestDatabase } from './support/test-database';
import { startTestServer, TestServer } from './support/test-server';

const onServer = Boolean(process.env.DATABASE_URL);

describe('durable consumers', () => {
  let server: TestServer;
  let uow: UnitOfWork;

  const seen = async (consumer: string): Promise<number[]> =>
    (
      (await server.dataSource.query('SELECT position FROM probe_seen WHERE consumer = $1 ORDER BY seq', [consumer])) as {
        position: string;
      }[]
    ).map((r) => Number(r.position));
  const status = async (name: string) => (await server.app.get(SubscriptionRunner).status()).find((s) => s.name === name);
  const logOrder = async (): Promise<number[]> =>
    (
      (await server.dataSource.query('SELECT position FROM event_log ORDER BY event_log.transaction_id, event_log.position')) as {
        position: string;
      }[]
    ).map((r) => Number(r.position));

  beforeAll(async () => {
    FlakyConsumer.broken = false;
    server = await startTestServer({
      extensions: [ProbeConsumersModule],
      database: await createTestDatabase({ persistent: true }),
    });
    uow = server.app.get(UnitOfWork);
  });
  afterAll(async () => {
    await server?.close();
    await server?.database.drop();
  });

  it('delivers every event of 10,000 concurrent commands with random commit delays exactly once, in one order for all', async () => {
    const total = 10_000;
    const before = (await logOrder()).length;
    const streams = Array.from({ length: 50 }, () => randomUUID());
    const command = async (n: number) => {
      await uow.run(SERVER_ORIGIN, async (tx) => {
        const stream = { type: 'probe', id: streams[n % streams.length] };
        // Lock the stream first (the append rule), then dawdle: commits land out of position order.
        const [{ version }]: { version: number }[] = await tx.manager.query(
          `SELECT coalesce(max(version), 0)::int AS version FROM event_log WHERE stream_type = 'probe' AND stream_id = $1`,
          [stream.id],
        );
        await tx.append(stream, version, [new ProbeHappened({ n })]);
        if (onServer) await tx.manager.query('SELECT pg_sleep($1)', [Math.random() * 0.02]);
      });
    };
    const inFlight = new Set<Promise<void>>();
    for (let n = 0; n < total; n++) {
      const p = command(n).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 40) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);

    const order = await logOrder();
    expect(order.length - before).toBe(total);
    await server.caughtUp(120_000);
    for (const consumer of ['probe-recorder', 'probe-second']) {
      const got = await seen(consumer);
      expect(new Set(got).size).toBe(got.length); // the primary key already forbids a repeat
      expect(got).toEqual(order); // every event, in the log's one read order
    }
  }, 300_000);

  it('retries a failing handler with back-off, reports the poison event, and holds up no other consumer', async () => {
    FlakyConsumer.broken = true;
    FlakyConsumer.attempts = 0;
    await uow.run(SERVER_ORIGIN, (tx) => tx.append({ type: 'probe', id: randomUUID() }, 0, [new PoisonPill({ n: 1 })]));
    await uow.run(SERVER_ORIGIN, (tx) => tx.append({ type: 'probe', id: randomUUID() }, 0, [new ProbeHappened({ n: 2 })]));
    const poison = (await logOrder()).at(-2) as number;
    const after = (await logOrder()).at(-1) as number;

    const stalled = await eventually(
      () => status('probe-flaky'),
      (s) => s?.state === 'stalled',
      30_000,
    );
    expect(stalled).toMatchObject({ failed_position: poison, last_error: `cannot digest event ${poison}` });
    expect(await seen('probe-flaky')).not.toContain(poison);
    expect(await seen('probe-flaky')).not.toContain(after); // it never skips the poison event
    expect(await seen('probe-recorder')).toContain(after); // the others went on
    const attempts = FlakyConsumer.attempts;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(FlakyConsumer.attempts - attempts).toBeLessThanOrEqual(2); // backing off, not spinning

    FlakyConsumer.broken = false;
    await eventually(
      () => seen('probe-flaky'),
      (got) => got.includes(after),
      60_000,
    );
    expect(await status('probe-flaky')).toMatchObject({ state: 'running', failures: 0, failed_position: null });
    const got = await seen('probe-flaky');
    expect(got.filter((p) => p === poison)).toHaveLength(1);
  });

  it('hands a consumer that reacts to some types only those, in order, and moves its checkpoint past the rest', async () => {
    const poisons = (
      (await server.dataSource.query(
        'SELECT position FROM event_log WHERE type = $1 ORDER BY event_log.transaction_id, event_log.position',
        [PoisonPill.type],
      )) as { position: string }[]
    ).map((r) => Number(r.position));
    expect(poisons.length).toBeGreaterThan(0); // the previous test wrote one
    await server.caughtUp();
    expect(await seen('probe-poison-only')).toEqual(poisons);
    expect((await status('probe-poison-only'))?.last_position).toBe((await status('probe-recorder'))?.last_position);
  });

  it('resumes from its checkpoint after a restart, without repeating or losing an event', async () => {
    const database = server.database;
    await server.caughtUp();
    await server.close();
    // Written while no server runs: the restarted consumers must pick these up.
    server = await startTestServer({ extensions: [ProbeConsumersModule], database });
    uow = server.app.get(UnitOfWork);
    for (let n = 0; n < 20; n++)
      await uow.run(SERVER_ORIGIN, (tx) => tx.append({ type: 'probe', id: randomUUID() }, 0, [new ProbeHappened({ n })]));
    await server.caughtUp();
    const order = await logOrder();
    for (const consumer of ['probe-recorder', 'probe-second', 'probe-flaky']) {
      expect(await seen(consumer)).toEqual(order);
    }
  });
});
