import type { EntityManager } from 'typeorm';
import type { StoredEvent } from './domain-event';
import { runReplayChecks, streamReplay, type ReplayCheck, type ReplayLog, type StreamProjection } from './replay';

const manager = {} as EntityManager;

function event(
  position: number,
  streamId: string,
  version: number,
  type: string,
  data: Record<string, unknown> = {},
): StoredEvent {
  return {
    position,
    transactionId: String(100 + position),
    streamType: 'counter',
    streamId,
    version,
    type,
    data,
    metadata: {} as StoredEvent['metadata'],
    createdAt: new Date(0),
  };
}

async function* pagesOf(events: StoredEvent[], pageSize: number): AsyncGenerator<StoredEvent[]> {
  for (let i = 0; i < events.length; i += pageSize) yield events.slice(i, i + pageSize);
}

/** The log read stream by stream, as EventStore.readStreamsInKeyOrder reads it; `events` is in read order. */
function logOf(events: StoredEvent[], pageSize = 2): ReplayLog {
  return {
    streams: (streamType) =>
      pagesOf(
        // A stable sort: each stream's events stay in read order.
        events
          .filter((e) => e.streamType === streamType)
          .sort((a, b) => Buffer.compare(Buffer.from(a.streamId), Buffer.from(b.streamId))),
        pageSize,
      ),
  };
}

type CounterRow = { key: string; total: number };

function counterProjection(live: CounterRow[]): StreamProjection<CounterRow> {
  return {
    streamType: 'counter',
    handles: ['Started', 'Added'],
    apply: (state, e) =>
      e.type === 'Started' ? { key: e.streamId, total: 0 } : state && { ...state, total: state.total + (e.data.n as number) },
    load: async (_, { after, limit }) =>
      live
        .filter((row) => after === undefined || row.key > after)
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .slice(0, limit),
  };
}

const LOG = [
  event(1, 'a', 1, 'Started'),
  event(2, 'b', 1, 'Started'),
  event(3, 'a', 2, 'Added', { n: 2 }),
  event(4, 'b', 2, 'Added', { n: 5 }),
  event(5, 'a', 3, 'Added', { n: 3 }),
];

describe('runReplayChecks over a paged log', () => {
  it('hands a check every event across the pages, in read order', async () => {
    const seen: number[][] = [];
    const recorder: ReplayCheck = {
      name: 'recorder',
      handles: ['Started', 'Added'],
      begin: () => ({ apply: (page) => void seen.push(page.map((e) => e.position)), finish: async () => [] }),
    };
    expect(await runReplayChecks(manager, pagesOf(LOG, 2), [recorder], logOf(LOG))).toEqual([]);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('folds streams that span pages into the same state as one page does', async () => {
    const live = [
      { key: 'a', total: 5 },
      { key: 'b', total: 5 },
    ];
    for (const pageSize of [1, 2, 5]) {
      const checks = [streamReplay(counterProjection(live), pageSize)];
      expect(await runReplayChecks(manager, pagesOf(LOG, pageSize), checks, logOf(LOG, pageSize))).toEqual([]);
    }
    const differences = await runReplayChecks(
      manager,
      pagesOf(LOG, 2),
      [streamReplay(counterProjection([{ key: 'a', total: 4 }]))],
      logOf(LOG),
    );
    expect(differences).toEqual([
      'counter/a: live {"key":"a","total":4} != replayed {"key":"a","total":5}',
      'counter/b: replayed {"key":"b","total":5} is missing from the live table',
    ]);
  });

  it('names the first event of a type no check handles, whatever page it is on', async () => {
    const log = [...LOG, event(6, 'a', 4, 'Reset'), event(7, 'b', 3, 'Reset')];
    const live = [
      { key: 'a', total: 5 },
      { key: 'b', total: 5 },
    ];
    const projection = {
      ...counterProjection(live),
      apply: (s: CounterRow | undefined, e: StoredEvent) => (e.type === 'Reset' ? s : counterProjection(live).apply(s, e)),
    };
    expect(await runReplayChecks(manager, pagesOf(log, 4), [streamReplay(projection)], logOf(log))).toEqual([
      'Reset (first at position 6, stream counter): no replay check handles this event type',
    ]);
  });

  it('reports a version gap between pages', async () => {
    const log = [event(1, 'a', 1, 'Started'), event(2, 'a', 3, 'Added', { n: 1 })];
    expect(
      await runReplayChecks(manager, pagesOf(log, 1), [streamReplay(counterProjection([{ key: 'a', total: 1 }]))], logOf(log, 1)),
    ).toEqual(['counter/a: version 3 read where 2 was due']);
  });

  it('reports a stream whose versions are out of the read order', async () => {
    const log = [event(1, 'a', 2, 'Added', { n: 1 }), event(2, 'a', 1, 'Started')];
    expect(
      // Folded in read order, as the consumers saw it: the Started last resets the total.
      await runReplayChecks(manager, pagesOf(log, 1), [streamReplay(counterProjection([{ key: 'a', total: 0 }]))], logOf(log)),
    ).toEqual(['counter/a: version 2 read where 1 was due', 'counter/a: version 1 read where 3 was due']);
  });

  it('merges streams and live rows in key order, table page by table page', async () => {
    // Streams b, d (deleted), f; live rows a (no events), b, c (no events), d (deleted: should be gone), f, g (no events).
    const log = [
      event(1, 'f', 1, 'Started'),
      event(2, 'b', 1, 'Started'),
      event(3, 'd', 1, 'Started'),
      event(4, 'd', 2, 'Deleted'),
      event(5, 'b', 2, 'Added', { n: 1 }),
    ];
    const live = ['a', 'b', 'c', 'd', 'f', 'g'].map((key) => ({ key, total: key === 'b' ? 1 : 0 }));
    const projection = {
      ...counterProjection(live),
      handles: ['Started', 'Added', 'Deleted'],
      apply: (s: CounterRow | undefined, e: StoredEvent) =>
        e.type === 'Deleted' ? undefined : counterProjection(live).apply(s, e),
    };
    for (const pageSize of [1, 2, 10]) {
      expect(
        await runReplayChecks(manager, pagesOf(log, pageSize), [streamReplay(projection, pageSize)], logOf(log, pageSize)),
      ).toEqual(['a', 'c', 'd', 'g'].map((key) => `counter/${key}: live row has no events that build it`));
    }
  });

  it('refuses live rows that do not come in key order', async () => {
    const projection = {
      ...counterProjection([]),
      load: async () => [
        { key: 'b', total: 0 },
        { key: 'a', total: 0 },
      ],
    };
    await expect(runReplayChecks(manager, pagesOf(LOG, 2), [streamReplay(projection)], logOf(LOG))).rejects.toThrow(
      'counter: load() returned key a after b, out of key order',
    );
  });
});
