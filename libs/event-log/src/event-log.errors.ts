/**
 * Another writer appended to the stream first (or did so from a transaction that began after this
 * one, which would break the log's read order). The unit of work retries the whole command.
 */
export class StreamVersionConflictError extends Error {
  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${stream} was changed concurrently (expected version ${expectedVersion})`);
    this.name = 'StreamVersionConflictError';
  }
}
