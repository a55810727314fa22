import { EventStore, runReplayChecks, type StoredEvent } from '@chime/event-log';
import { DataSource, EntityManager } from 'typeorm';
import { MODULES } from '../modules';
import { replayChecksOf, type ModuleImport } from '../platform/feature-module';

export interface VerifyReplayOptions {
  /** Events per page read from the log (default 5,000); memory is bounded by it, not by the log. */
  pageSize?: number;
  /** Called after each page with the events read so far and the log's size in the snapshot. */
  onProgress?(read: number, total: number): void;
}

/**
 * Rebuilds every module's tables from the event log and compares them row by row with the live
 * ones, all in one snapshot, with each module's replay checks (and those of `extensions`). Returns
 * the differences; none means the state is exactly what the events say and every stored event type
 * is accounted for by some module. The log is streamed in pages, so memory follows the live tables.
 */
export async function verifyReplay(
  dataSource: DataSource,
  extensions: readonly ModuleImport[] = [],
  options: VerifyReplayOptions = {},
): Promise<string[]> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const pages = new EventStore(dataSource).readPages(manager, options.pageSize);
    const checks = replayChecksOf([...MODULES, ...extensions]);
    return runReplayChecks(manager, options.onProgress ? reporting(manager, pages, options.onProgress) : pages, checks);
  });
}

async function* reporting(
  manager: EntityManager,
  pages: AsyncIterable<StoredEvent[]>,
  onProgress: (read: number, total: number) => void,
): AsyncGenerator<StoredEvent[]> {
  const [{ count }]: { count: string }[] = await manager.query('SELECT count(*) FROM event_log');
  let read = 0;
  for await (const page of pages) {
    read += page.length;
    onProgress(read, Number(count));
    yield page;
  }
}
