import { EventStore, runReplayChecks } from '@chime/event-log';
import { DataSource } from 'typeorm';
import { MODULES } from '../modules';
import { replayChecksOf, type ModuleImport } from '../platform/feature-module';

/**
 * Rebuilds every module's tables from the event log and compares them row by row with the live
 * ones, all in one snapshot, with each module's replay checks (and those of `extensions`). Returns
 * the differences; none means the state is exactly what the events say and every stored event type
 * is accounted for by some module.
 */
export async function verifyReplay(dataSource: DataSource, extensions: readonly ModuleImport[] = []): Promise<string[]> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const events = await new EventStore(dataSource).readAll(manager);
    return runReplayChecks(manager, events, replayChecksOf([...MODULES, ...extensions]));
  });
}
