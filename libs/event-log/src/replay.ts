import type { EntityManager } from 'typeorm';
import type { StoredEvent } from './domain-event';

/**
 * How to rebuild one kind of aggregate from its events, and how to read the live rows in the same
 * shape, so the two can be compared row by row (`npm run verify:replay`).
 */
export interface StreamProjection<Row extends { key: string }> {
  streamType: string;
  /** The state after one more event; undefined before the first event and after a deletion. */
  apply(state: Row | undefined, event: StoredEvent): Row | undefined;
  /** The live rows, keyed like the streams (`key` = stream id). */
  load(manager: EntityManager): Promise<Row[]>;
  /** A rebuilt row that the live table may have dropped since (e.g. a swept, expired session). */
  mayBeAbsent?(row: Row): boolean;
}

/** Folds every stream of each projection's type and lists every difference from the live rows. */
export async function diffAgainstReplay(
  manager: EntityManager,
  events: StoredEvent[],
  projections: StreamProjection<{ key: string }>[],
): Promise<string[]> {
  const differences: string[] = [];
  for (const projection of projections) {
    const rebuilt = new Map<string, { key: string } | undefined>();
    const versions = new Map<string, number>();
    for (const event of events) {
      if (event.streamType !== projection.streamType) continue;
      const expected = (versions.get(event.streamId) ?? 0) + 1;
      if (event.version !== expected) {
        differences.push(`${projection.streamType}/${event.streamId}: version ${event.version} read where ${expected} was due`);
      }
      versions.set(event.streamId, event.version);
      rebuilt.set(event.streamId, projection.apply(rebuilt.get(event.streamId), event));
    }
    const live = new Map((await projection.load(manager)).map((row) => [row.key, row]));
    for (const [key, row] of live) {
      const replayed = rebuilt.get(key);
      if (!replayed) differences.push(`${projection.streamType}/${key}: live row has no events that build it`);
      else if (canonical(replayed) !== canonical(row)) {
        differences.push(`${projection.streamType}/${key}: live ${canonical(row)} != replayed ${canonical(replayed)}`);
      }
    }
    for (const [key, row] of rebuilt) {
      if (row && !live.has(key) && !projection.mayBeAbsent?.(row)) {
        differences.push(`${projection.streamType}/${key}: replayed ${canonical(row)} is missing from the live table`);
      }
    }
  }
  return differences;
}

function canonical(value: object): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
