import { EventStore, runReplayChecks, type ReplayLog, type StoredEvent } from '@chime/event-log';
import { DataSource, EntityManager } from 'typeorm';
import { MODULES } from '../modules';
import { replayChecksOf, type ModuleImport } from '../platform/feature-module';

export interface VerifyReplayOptions {
  /** Events per page read from the log (default 5,000); memory is bounded by it, not by the log. */
  pageSize?: number;
  /**
   * Called after each page with the events read so far in one phase and that phase's total: first
   * `log` (the whole log in read order), then one phase per stream type (its events in key order).
   */
  onProgress?(phase: string, read: number, total: number): void;
}

/**
 * Rebuilds every module's tables from the event log and compares them row by row with the live
 * ones, all in one snapshot, with each module's replay checks (and those of `extensions`). Returns
 * the differences; none means the state is exactly what the events say and every stored event type
 * is accounted for by some module. The log is read in pages (in read order, then each stream type
 * in key order) and the tables in pages, so memory is bounded whatever their sizes.
 */
export async function verifyReplay(
  dataSource: DataSource,
  extensions: readonly ModuleImport[] = [],
  options: VerifyReplayOptions = {},
): Promise<string[]> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const store = new EventStore(dataSource);
    const pages = store.readPages(manager, options.pageSize);
    const checks = replayChecksOf([...MODULES, ...extensions]);
    const { onProgress } = options;
    const log: ReplayLog = {
      streams: (streamType) => {
        const streams = store.readStreamsInKeyOrder(manager, streamType, options.pageSize);
        if (!onProgress) return streams;
        const count = 'SELECT count(*) FROM event_log WHERE stream_type = $1';
        return reporting(manager, streams, [count, [streamType]], (read, total) => onProgress(streamType, read, total));
      },
    };
    const reported = onProgress
      ? reporting(manager, pages, ['SELECT count(*) FROM event_log', []], (read, total) => onProgress('log', read, total))
      : pages;
    return runReplayChecks(manager, reported, checks, log);
  });
}

/** Passes the pages on, calling `onProgress` after each with the events so far and the total counted by `count`. */
async function* reporting<Event extends StoredEvent>(
  manager: EntityManager,
  pages: AsyncIterable<Event[]>,
  count: [string, unknown[]],
  onProgress: (read: number, total: number) => void,
): AsyncGenerator<Event[]> {
  const [{ count: total }]: { count: string }[] = await manager.query(...count);
  let read = 0;
  for await (const page of pages) {
    read += page.length;
    onProgress(read, Number(total));
    yield page;
  }
}
