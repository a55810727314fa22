import {
  MoreThan,
  type EntityManager,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';
import type { StoredEvent } from './domain-event';

/** Which live rows to load: those with a key above `after` (all when undefined), at most `limit`. */
export interface KeyPage {
  after?: string;
  limit: number;
}

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
  /**
   * One page of the live rows, keyed like the streams (`key` = stream id), in ascending key order
   * as byte strings (PostgreSQL's `COLLATE "C"`; a uuid column sorts so by itself, see
   * loadEntityPage). The check reads the table page by page, so its memory does not grow with it.
   */
  load(manager: EntityManager, page: KeyPage): Promise<Row[]>;
  /** A rebuilt row that the live table may have dropped since (e.g. a swept, expired session). */
  mayBeAbsent?(row: Row): boolean;
}

/** A page of an entity's rows for StreamProjection.load, keyed by a uuid (or other byte-ordered) primary column. */
export function loadEntityPage<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  key: keyof E & string,
  page: KeyPage,
): Promise<E[]> {
  return manager.find(entity, {
    where: (page.after === undefined ? {} : { [key]: MoreThan(page.after) }) as FindOptionsWhere<E>,
    order: { [key]: 'ASC' } as FindOptionsOrder<E>,
    take: page.limit,
  });
}

/** The log as the replay check reads it besides its pages in read order. */
export interface ReplayLog {
  /**
   * Every event of one stream type, stream after stream in order of their ids (as byte strings,
   * like StreamProjection.load), each stream's events in the log's read order, in pages.
   */
  streams(streamType: string): AsyncIterable<readonly StoredEvent[]>;
}

/**
 * One part of the replay check (`npm run verify:replay`): the event types it accounts for, and the
 * differences between what those events say and what the database holds. Every stored event must be
 * handled by some check, so an event type that no module can replay fails the check.
 *
 * The log is read in pages (its size is unbounded), so a check keeps only what it folds: `begin`
 * starts one pass in the verifying snapshot transaction, the pass sees every page in read order,
 * then `finish` compares and returns the differences (it may read the log again, stream by stream,
 * through `log`).
 */
export interface ReplayCheck {
  name: string;
  handles: readonly string[];
  begin(manager: EntityManager, log: ReplayLog): ReplayPass | Promise<ReplayPass>;
}

/** One pass of a ReplayCheck over the log: its state lives here, not in the (shared) check. */
export interface ReplayPass {
  /** The next page of the log, in (transaction id, position) order; every event, not only handled ones. */
  apply(events: readonly StoredEvent[]): void | Promise<void>;
  finish(): Promise<string[]>;
}

/**
 * A replay check that folds one kind of aggregate from its streams and compares it with the live
 * rows. Memory stays bounded whatever the log's and the table's sizes: the streams are read in key
 * order, one aggregate at a time, and merged with the live table read in the same order, page by
 * page (a merge join). The pages in read order are not needed.
 */
export function streamReplay<Row extends { key: string }>(projection: StreamProjection<Row>, pageSize = 1_000): ReplayCheck {
  return {
    name: projection.streamType,
    handles: projection.handles,
    begin: (manager, log) => ({
      apply: () => undefined,
      finish: () => foldStreams(manager, log, projection as unknown as StreamProjection<{ key: string }>, pageSize),
    }),
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
  log: ReplayLog,
): Promise<string[]> {
  const handled = new Set(checks.flatMap((check) => check.handles));
  const unhandled = new Map<string, StoredEvent>();
  const passes: ReplayPass[] = [];
  for (const check of checks) passes.push(await check.begin(manager, log));
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

/** Byte order of UTF-8 strings: PostgreSQL's `COLLATE "C"`, and a uuid's order as its text. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The live rows of a projection, page after page, checked to come in ascending key order. */
async function* liveRows(
  manager: EntityManager,
  projection: StreamProjection<{ key: string }>,
  pageSize: number,
): AsyncGenerator<{ key: string }> {
  let after: string | undefined;
  for (;;) {
    const rows = await projection.load(manager, { after, limit: pageSize });
    for (const row of rows) {
      if (after !== undefined && compareKeys(row.key, after) <= 0) {
        throw new Error(`${projection.streamType}: load() returned key ${row.key} after ${after}, out of key order`);
      }
      after = row.key;
      yield row;
    }
    if (rows.length < pageSize) return;
  }
}

/**
 * Folds each stream of the projection's type in turn (in key order; its events in read order, in
 * which their versions must follow one another) and compares its final state
 * with the live row of the same key, both sides read in key order: only one aggregate and one page
 * of each side are in memory at a time.
 */
async function foldStreams(
  manager: EntityManager,
  log: ReplayLog,
  projection: StreamProjection<{ key: string }>,
  pageSize: number,
): Promise<string[]> {
  const type = projection.streamType;
  const differences: string[] = [];
  const live = liveRows(manager, projection, pageSize);
  let next = await live.next();
  /** Live rows before `key` have no events; the one at `key` is compared with what its events built. */
  const settle = async (key: string | undefined, replayed: { key: string } | undefined) => {
    while (!next.done && (key === undefined || compareKeys(next.value.key, key) < 0)) {
      differences.push(`${type}/${next.value.key}: live row has no events that build it`);
      next = await live.next();
    }
    if (key === undefined) return;
    const row = !next.done && next.value.key === key ? next.value : undefined;
    if (row) next = await live.next();
    if (row && !replayed) differences.push(`${type}/${key}: live row has no events that build it`);
    else if (row && replayed && canonical(replayed) !== canonical(row)) {
      differences.push(`${type}/${key}: live ${canonical(row)} != replayed ${canonical(replayed)}`);
    } else if (!row && replayed && !projection.mayBeAbsent?.(replayed)) {
      differences.push(`${type}/${key}: replayed ${canonical(replayed)} is missing from the live table`);
    }
  };
  let stream: string | undefined;
  let state: { key: string } | undefined;
  let version = 0;
  for await (const events of log.streams(type)) {
    for (const event of events) {
      if (event.streamId !== stream) {
        if (stream !== undefined && compareKeys(event.streamId, stream) < 0) {
          throw new Error(`${type}: stream ${event.streamId} read after ${stream}, out of key order`);
        }
        if (stream !== undefined) await settle(stream, state);
        stream = event.streamId;
        state = undefined;
        version = 0;
      }
      if (event.version !== version + 1) {
        differences.push(`${type}/${event.streamId}: version ${event.version} read where ${version + 1} was due`);
      }
      version = event.version;
      state = projection.apply(state, event);
    }
  }
  if (stream !== undefined) await settle(stream, state);
  await settle(undefined, undefined);
  return differences;
}

function canonical(value: object): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
