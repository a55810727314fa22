import type { EntityManager } from 'typeorm';

/**
 * Runs `text` on the manager's connection as the prepared statement `name`: node-postgres parses
 * and plans it once per connection, then only binds and executes it (TypeORM hands a query object
 * to the driver untouched). For the statements the event log runs on every command and every
 * consumer batch. A name stands for one text only.
 */
export function preparedQuery<T>(manager: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  return manager.query({ name, text, values } as unknown as string);
}
