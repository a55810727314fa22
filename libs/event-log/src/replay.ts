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
 *
 * The log is read in pages (its size is unbounded), so a check keeps only what it folds: `begin`
 * starts one pass in the verifying snapshot transaction, the pass sees every page in read order,
 * then `finish` compares and returns the differences.
 */
export interface ReplayCheck {
  name: string;
  handles: readonly string[];
  begin(manager: EntityManager): ReplayPass | Promise<ReplayPass>;
}

/** One pass of a ReplayCheck over the log: its state lives here, not in the (shared) check. */
export interface ReplayPass {
  /** The next page of the log, in (transaction id, position) order; every event, not only handled ones. */
  apply(events: readonly StoredEvent[]): void | Promise<void>;
  finish(): Promise<string[]>;
}

/** A replay check that folds one kind of aggregate from its stream and compares it with the live rows. */
export function streamReplay<Row extends { key: string }>(projection: StreamProjection<Row>): ReplayCheck {
  return {
    name: projection.streamType,
    handles: projection.handles,
    begin: (manager) => new StreamFold(manager, projection as unknown as StreamProjection<{ key: string }>),
  };
}

/**
 * Runs every check over the pages of the log and adds a difference for each stored event type that
 * no check handles (naming its first event).
 */
export async function runReplayChecks(
  manager: EntityManager,
  pages: AsyncIterable<readonly StoredEvent[]>,
  checks: readonly ReplayCheck[],
): Promise<string[]> {
  const handled = new Set(checks.flatMap((check) => check.handles));
  const unhandled = new Map<string, StoredEvent>();
  const passes: ReplayPass[] = [];
  for (const check of checks) passes.push(await check.begin(manager));
  for await (const page of pages) {
    for (const event of page) if (!handled.has(event.type) && !unhandled.has(event.type)) unhandled.set(event.type, event);
    for (const pass of passes) await pass.apply(page);
  }
  const differences = [...unhandled.values()].map(
    (event) =>
      `${event.type} (first at position ${event.position}, stream ${event.streamType}): no replay check handles this event type`,
  );
  for (const pass of passes) differences.push(...(await pass.finish()));
  return differences;
}

/** Folds every stream of one projection's type, keeping only the latest state per aggregate. */
class StreamFold implements ReplayPass {
  private readonly rebuilt = new Map<string, { key: string } | undefined>();
  private readonly versions = new Map<string, number>();
  private readonly differences: string[] = [];

  constructor(
    private readonly manager: EntityManager,
    private readonly projection: StreamProjection<{ key: string }>,
  ) {}

  apply(events: readonly StoredEvent[]): void {
    const { projection, rebuilt, versions } = this;
    for (const event of events) {
      if (event.streamType !== projection.streamType) continue;
      const expected = (versions.get(event.streamId) ?? 0) + 1;
      if (event.version !== expected) {
        this.differences.push(
          `${projection.streamType}/${event.streamId}: version ${event.version} read where ${expected} was due`,
        );
      }
      versions.set(event.streamId, event.version);
      rebuilt.set(event.streamId, projection.apply(rebuilt.get(event.streamId), event));
    }
  }

  /** Compares with the live rows, letting go of each rebuilt row once compared. */
  async finish(): Promise<string[]> {
    const { projection, rebuilt, differences } = this;
    this.versions.clear();
    const live = await projection.load(this.manager);
    for (const row of live) {
      const replayed = rebuilt.get(row.key);
      if (!replayed) differences.push(`${projection.streamType}/${row.key}: live row has no events that build it`);
      else if (canonical(replayed) !== canonical(row)) {
        differences.push(`${projection.streamType}/${row.key}: live ${canonical(row)} != replayed ${canonical(replayed)}`);
      }
      rebuilt.delete(row.key);
    }
    for (const [key, row] of rebuilt) {
      if (row && !projection.mayBeAbsent?.(row)) {
        differences.push(`${projection.streamType}/${key}: replayed ${canonical(row)} is missing from the live table`);
      }
    }
    rebuilt.clear();
    return differences;
  }
}

function canonical(value: object): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
