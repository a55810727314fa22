import type { EntityManager } from 'typeorm';
import type { StoredEvent } from './domain-event';

/**
 * How to rebuild one kind of aggregate from its events, and how to read the live rows in the same
 * shape, so the two can be compared row by row (`npm run verify:replay`).
 */
export interface StreamProjection<Row extends { key: string }> {
  streamType: string;
  /** The event types `apply` folds: every one of them must be known here (see ReplayCheck.handles). */
  handles: readonly string[];
  /** The state after one more event; undefined before the first event and after a deletion. */
  apply(state: Row | undefined, event: StoredEvent): Row | undefined;
  /** The live rows, keyed like the streams (`key` = stream id). */
  load(manager: EntityManager): Promise<Row[]>;
  /** A rebuilt row that the live table may have dropped since (e.g. a swept, expired session). */
  mayBeAbsent?(row: Row): boolean;
}

/**
 * One part of the replay check (`npm run verify:replay`): the event types it accounts for, and the
 * differences between what those events say and what the database holds. Every stored event must be
 * handled by some check, so an event type that no module can replay fails the check.
 */
export interface ReplayCheck {
  name: string;
  handles: readonly string[];
  diff(manager: EntityManager, events: StoredEvent[]): Promise<string[]>;
}

/** A replay check that folds one kind of aggregate from its stream and compares it with the live rows. */
export function streamReplay<Row extends { key: string }>(projection: StreamProjection<Row>): ReplayCheck {
  return {
    name: projection.streamType,
    handles: projection.handles,
    diff: (manager, events) => diffAgainstReplay(manager, events, [projection as unknown as StreamProjection<{ key: string }>]),
  };
}

/** Runs every check and adds a difference for each stored event that no check handles. */
export async function runReplayChecks(
  manager: EntityManager,
  events: StoredEvent[],
  checks: readonly ReplayCheck[],
): Promise<string[]> {
  const handled = new Set(checks.flatMap((check) => check.handles));
  const unhandled = new Map<string, StoredEvent>();
  for (const event of events) if (!handled.has(event.type) && !unhandled.has(event.type)) unhandled.set(event.type, event);
  const differences = [...unhandled.values()].map(
    (event) =>
      `${event.type} (first at position ${event.position}, stream ${event.streamType}): no replay check handles this event type`,
  );
  for (const check of checks) differences.push(...(await check.diff(manager, events)));
  return differences;
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
