import { randomUUID } from 'node:crypto';
import { EventBus } from '@nestjs/cqrs';
import {
  DomainEvent,
  EventStore,
  HELD_BACK_SQL,
  LOG_START,
  StreamVersionConflictError,
  Transaction,
  UnitOfWork,
  type EventMetadata,
  type LogCursor,
  type StreamRef,
} from '@chime/event-log';
import { eventually } from './support/eventually';
import { FeatureModule } from '../src/platform/feature-module';
import { startTestServer, TestServer } from './support/test-server';

class ScratchWritten extends DomainEvent<{ id: string; n: number }> {
  static override readonly type = 'ScratchWritten';
}

const METADATA: EventMetadata = {
  request_id: randomUUID(),
  user_uuid: randomUUID(),
  user_name: 'tester',
  ip: '127.0.0.1',
  method: 'POST',
  path: '/v1/scratch',
  input: '{"n":1}',
};

/**
 * Overlapping transactions need a PostgreSQL server: the embedded database is one session, so its
 * transactions run one after the other (which makes the conflict cases trivially safe there).
 */
const onServer = Boolean(process.env.DATABASE_URL);

/** A stream of its own per test, so tests never see each other's events. */
const newStream = (type = 'scratch'): StreamRef => ({ type, id: randomUUID() });
/** The scratch events are test data: the replay check has nothing to rebuild from them. */
@FeatureModule({
  replay: [
    { name: 'scratch', handles: [ScratchWritten.type], begin: () => ({ apply: () => undefined, finish: async () => [] }) },
  ],
})
class ScratchModule {}

const written = (stream: StreamRef, n: number) => new ScratchWritten({ id: stream.id, n });

/** Resolves once `parties` callers are waiting on it: makes transactions overlap for certain. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived === parties) release();
    return all;
  };
}

describe('event log: one transaction with the state, versions, read order', () => {
  let server: TestServer;
  let uow: UnitOfWork;
  let store: EventStore;

  beforeAll(async () => {
    server = await startTestServer({ extensions: [ScratchModule] });
    uow = server.app.get(UnitOfWork);
    store = server.app.get(EventStore);
    await server.dataSource.query('CREATE TABLE scratch (id uuid PRIMARY KEY, n integer NOT NULL)');
  });
  afterAll(() => server?.close());

  const scratchRows = async (id: string) =>
    Number((await server.dataSource.query('SELECT count(*) AS n FROM scratch WHERE id = $1', [id]))[0].n);

  /** Events the in-process EventBus delivers while `fn` runs. */
  async function publishedDuring(fn: () => Promise<unknown>): Promise<DomainEvent[]> {
    const seen: DomainEvent[] = [];
    const subscription = server.app.get(EventBus).subscribe((event) => seen.push(event as DomainEvent));
    try {
      await fn().catch(() => undefined);
    } finally {
      subscription.unsubscribe();
    }
    return seen;
  }

  it('a failing unit of work leaves neither its state change nor its events', async () => {
    const stream = newStream();
    let failure: unknown;
    const published = await publishedDuring(() =>
      uow
        .run(METADATA, async (tx) => {
          await tx.manager.query('INSERT INTO scratch (id, n) VALUES ($1, 1)', [stream.id]);
          await tx.append(stream, 0, [written(stream, 1)]);
          throw new Error('the command failed after writing');
        })
        .catch((error: unknown) => (failure = error)),
    );
    expect(failure).toEqual(new Error('the command failed after writing'));
    expect(await scratchRows(stream.id)).toBe(0);
    expect(await store.readStream(stream.type, stream.id)).toEqual([]);
    expect(published).toEqual([]);
  });

  it('a successful one leaves both, with metadata, versions 1..n and increasing positions; events are published after commit', async () => {
    const stream = newStream();
    const events = [written(stream, 1), written(stream, 2), written(stream, 3)];
    const published = await publishedDuring(() =>
      uow.run(METADATA, async (tx) => {
        await tx.manager.query('INSERT INTO scratch (id, n) VALUES ($1, 3)', [stream.id]);
        expect(await tx.append(stream, 0, events)).toBe(3);
      }),
    );
    expect(await scratchRows(stream.id)).toBe(1);
    expect(published).toEqual(events);

    // A later command continues the stream from the version it read.
    await uow.run(METADATA, (tx) => tx.append(stream, 3, [written(stream, 4)]));

    const stored = await store.readStream(stream.type, stream.id);
    expect(stored.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(stored.map((e) => e.data)).toEqual([1, 2, 3, 4].map((n) => ({ id: stream.id, n })));
    for (const event of stored) {
      expect(event).toMatchObject({ streamType: 'scratch', streamId: stream.id, type: 'ScratchWritten', metadata: METADATA });
      expect(event.createdAt).toBeInstanceOf(Date);
    }
    const positions = stored.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('two concurrent appends at the same stream version: exactly one wins, the other gets a conflict', async () => {
    const stream = newStream();
    const bothBegun = barrier(2);
    const attempt = (n: number) =>
      server.dataSource.transaction(async (manager) => {
        // On the server, hold each until both transactions are open, so the appends really race.
        // (The embedded database would wait here forever: its second transaction starts only after the first ends.)
        if (onServer) {
          await manager.query('SELECT 1');
          await bothBegun();
        }
        return new Transaction(manager, METADATA, []).append(stream, 0, [written(stream, n)]);
      });
    const results = await Promise.allSettled([attempt(1), attempt(2)]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toEqual([{ status: 'fulfilled', value: 1 }]);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(StreamVersionConflictError);
    expect(await store.readStream(stream.type, stream.id)).toHaveLength(1);
  });

  it('the unit of work retries a conflict: 20 concurrent read-then-append commands all succeed, versions 1..20', async () => {
    const stream = newStream();
    let calls = 0;
    // On the server the first two commands are made to read the same version, so at least one retry is certain.
    const firstTwoRead = barrier(2);
    const command = (n: number) => {
      let attempts = 0;
      return uow.run(METADATA, async (tx) => {
        calls++;
        attempts++;
        const [{ version }] = await tx.manager.query(
          'SELECT coalesce(max(version), 0)::int AS version FROM event_log WHERE stream_type = $1 AND stream_id = $2',
          [stream.type, stream.id],
        );
        if (onServer && n < 2 && attempts === 1) await firstTwoRead();
        return tx.append(stream, version, [written(stream, n)]);
      });
    };

    const versions = await Promise.all(Array.from({ length: 20 }, (_, n) => command(n)));

    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([...versions].sort((a, b) => a - b)).toEqual(oneToTwenty);
    const stored = await store.readStream(stream.type, stream.id);
    expect(stored.map((e) => e.version)).toEqual(oneToTwenty);
    expect(stored.map((e) => (e.data as { n: number }).n).sort((a, b) => a - b)).toEqual(oneToTwenty.map((v) => v - 1));
    if (onServer) expect(calls).toBeGreaterThan(20);
  });

  (onServer ? it : it.skip)(
    'a transaction that commits late is read in its place, and a cursor reader sees every event once',
    async () => {
      const type = `late-${randomUUID()}`; // only this test's events
      const [a, b] = [newStream(type), newStream(type)];

      // A takes the lower position, then stays open while B appends and commits.
      let aAppended!: () => void;
      let commitA!: () => void;
      const aHasAppended = new Promise<void>((resolve) => (aAppended = resolve));
      const aMayCommit = new Promise<void>((resolve) => (commitA = resolve));
      const txA = server.dataSource.transaction(async (manager) => {
        await new Transaction(manager, METADATA, []).append(a, 0, [written(a, 1)]);
        aAppended();
        await aMayCommit;
      });
      await aHasAppended;
      await server.dataSource.transaction((manager) => new Transaction(manager, METADATA, []).append(b, 0, [written(b, 1)]));

      // Two readers poll: one keeps the last position it saw, the other the EventStore's cursor.
      const naive = async (after: number): Promise<{ position: number; stream_id: string }[]> =>
        (
          await server.dataSource.query(
            'SELECT position, stream_id FROM event_log WHERE stream_type = $1 AND position > $2 ORDER BY position',
            [type, after],
          )
        ).map((row: { position: string; stream_id: string }) => ({ position: Number(row.position), stream_id: row.stream_id }));
      let naiveCheckpoint = 0;
      let cursor: LogCursor = LOG_START;
      const cursorSaw: string[] = [];
      const pollCursor = async () => {
        const events = await store.read({ after: cursor, streamType: type });
        cursorSaw.push(...events.map((e) => e.streamId));
        if (events.length > 0) cursor = { transactionId: events.at(-1)!.transactionId, position: events.at(-1)!.position };
        return events;
      };

      // While A is open the naive reader sees B and moves its checkpoint past A's position...
      const seenEarly = await naive(naiveCheckpoint);
      expect(seenEarly.map((e) => e.stream_id)).toEqual([b.id]);
      naiveCheckpoint = seenEarly[0].position;
      // ...whereas the EventStore holds B back behind the still-open A.
      expect(await pollCursor()).toEqual([]);

      commitA();
      await txA;

      // Other transactions on the shared server can hold reads back a moment longer; wait them out.
      await eventually(pollCursor, () => cursorSaw.length >= 2);
      expect(cursorSaw).toEqual([a.id, b.id]);
      const both = await store.read({ streamType: type });
      expect(both.map((e) => e.streamId)).toEqual([a.id, b.id]);
      expect(both[0].position).toBeLessThan(both[1].position);
      expect(await pollCursor()).toEqual([]);
      expect(cursorSaw).toEqual([a.id, b.id]);

      // The naive reader has skipped A for good: its checkpoint is already past A's position.
      expect(await naive(naiveCheckpoint)).toEqual([]);
    },
  );

  it('the event_log table refuses UPDATE and DELETE', async () => {
    const stream = newStream();
    await uow.run(METADATA, (tx) => tx.append(stream, 0, [written(stream, 1)]));

    await expect(
      server.dataSource.query(`UPDATE event_log SET type = 'Forged' WHERE stream_id = $1`, [stream.id]),
    ).rejects.toThrow(/append-only/);
    await expect(server.dataSource.query('DELETE FROM event_log WHERE stream_id = $1', [stream.id])).rejects.toThrow(
      /append-only/,
    );
    const [event] = await store.readStream(stream.type, stream.id);
    expect(event.type).toBe('ScratchWritten');
  });

  it('cursorAt turns a position into a cursor to resume reading after it', async () => {
    const stream = newStream(`cursor-${randomUUID()}`);
    await uow.run(METADATA, (tx) =>
      tx.append(
        stream,
        0,
        [1, 2, 3].map((n) => written(stream, n)),
      ),
    );
    const events = await eventually(
      () => store.read({ streamType: stream.type }),
      (found) => found.length === 3,
    );

    const cursor = await store.cursorAt(events[0].position);
    expect(cursor).toEqual({ transactionId: events[0].transactionId, position: events[0].position });
    const rest = await store.read({ after: cursor, streamType: stream.type });
    expect(rest.map((e) => e.version)).toEqual([2, 3]);

    expect(await store.cursorAt(0)).toEqual(LOG_START);
    expect(await store.cursorAt(events[2].position + 1_000_000)).toBeUndefined();
  });

  it('heldBack asks the read-order index for the first event past the cursor, however long the log', async () => {
    const stream = newStream(`held-${randomUUID()}`);
    await uow.run(METADATA, (tx) =>
      tx.append(
        stream,
        0,
        Array.from({ length: 20_000 }, (_, i) => written(stream, i + 1)),
      ),
    );
    await server.dataSource.query('ANALYZE event_log');
    const [last]: { transaction_id: string; position: string }[] = await server.dataSource.query(
      'SELECT transaction_id::text, position FROM event_log ORDER BY transaction_id DESC, position DESC LIMIT 1',
    );
    const end: LogCursor = { transactionId: last.transaction_id, position: Number(last.position) };
    expect(await store.heldBack(end)).toBe(false);
    expect(await store.heldBack(LOG_START)).toBe(true);
    // The plan: an index scan that stops at the first entry, never a scan of the table.
    for (const cursor of [end, LOG_START]) {
      const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': unknown }[] = await server.dataSource.query(
        `EXPLAIN (FORMAT JSON) ${HELD_BACK_SQL}`,
        [cursor.transactionId, cursor.position],
      );
      const text = JSON.stringify(plan);
      expect(text).toContain('event_log_read_order_idx');
      expect(text).not.toContain('Seq Scan');
    }
  });

  it('readPages streams the whole log in read order, a page at a time, as its snapshot sees it', async () => {
    const stream = newStream(`pages-${randomUUID()}`);
    for (const n of [1, 2, 3, 4, 5]) await uow.run(METADATA, (tx) => tx.append(stream, n - 1, [written(stream, n)]));
    await server.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const pages: number[] = [];
      const paged = [];
      for await (const page of store.readPages(manager, 3)) {
        pages.push(page.length);
        paged.push(...page);
      }
      const whole = await manager.query('SELECT position FROM event_log ORDER BY transaction_id, position');
      expect(paged.map((e) => e.position)).toEqual(whole.map((row: { position: string }) => Number(row.position)));
      expect(pages.slice(0, -1).every((size) => size === 3)).toBe(true);
      expect(paged.filter((e) => e.streamId === stream.id).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    });
  });
});
