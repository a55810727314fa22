import type { EntityManager } from 'typeorm';
import type { StoredEvent } from './domain-event';
import { runReplayChecks, streamReplay, type ReplayCheck, type StreamProjection } from './replay';

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

type CounterRow = { key: string; total: number };

function counterProjection(live: CounterRow[]): StreamProjection<CounterRow> {
  return {
    streamType: 'counter',
    handles: ['Started', 'Added'],
    apply: (state, e) =>
      e.type === 'Started' ? { key: e.streamId, total: 0 } : state && { ...state, total: state.total + (e.data.n as number) },
    load: async () => live,
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
    expect(await runReplayChecks(manager, pagesOf(LOG, 2), [recorder])).toEqual([]);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('folds streams that span pages into the same state as one page does', async () => {
    const live = [
      { key: 'a', total: 5 },
      { key: 'b', total: 5 },
    ];
    for (const pageSize of [1, 2, 5]) {
      expect(await runReplayChecks(manager, pagesOf(LOG, pageSize), [streamReplay(counterProjection(live))])).toEqual([]);
    }
    const differences = await runReplayChecks(manager, pagesOf(LOG, 2), [
      streamReplay(counterProjection([{ key: 'a', total: 4 }])),
    ]);
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
    expect(await runReplayChecks(manager, pagesOf(log, 4), [streamReplay(projection)])).toEqual([
      'Reset (first at position 6, stream counter): no replay check handles this event type',
    ]);
  });

  it('reports a version gap between pages', async () => {
    const log = [event(1, 'a', 1, 'Started'), event(2, 'a', 3, 'Added', { n: 1 })];
    expect(await runReplayChecks(manager, pagesOf(log, 1), [streamReplay(counterProjection([{ key: 'a', total: 1 }]))])).toEqual([
      'counter/a: version 3 read where 2 was due',
    ]);
  });
});
