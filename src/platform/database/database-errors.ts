import { AlreadyExistsError, DomainError, FailedPreconditionError, UnavailableError } from '../errors/domain-error';

/** Messages for constraints, by constraint name; modules register theirs when they load. */
const constraintMessages = new Map<string, string>();

/** A unique constraint: violating it means the name (or key) is taken, ALREADY_EXISTS. */
export function describeUniqueConstraint(constraint: string, message: string): void {
  constraintMessages.set(constraint, message);
}

/**
 * A foreign key that guards a rule, e.g. "an AZ with clusters cannot be deleted": violating it is
 * FAILED_PRECONDITION. The database checks it, so no check-then-act race can get past it.
 */
export function describeForeignKey(constraint: string, message: string): void {
  constraintMessages.set(constraint, message);
}

/** What node-postgres rejects a query with once query_timeout has passed without an answer. */
export const QUERY_READ_TIMEOUT = 'Query read timeout';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
  'Connection terminated', // also "… due to connection timeout": opening a connection took too long
  'timeout exceeded when trying to connect', // no pooled connection came free in time
  QUERY_READ_TIMEOUT, // no answer within the client's bound (e.g. packets dropped)
  'Client has encountered a connection error',
  'Connection closed',
  'PGlite is closed',
];

interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
  driverError?: DriverError;
}

/** What of a database error may be logged: never the parameters, which may hold secrets. */
export function loggableDatabaseError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || !('query' in error)) return error;
  const err = error as DriverError & { query?: string; stack?: string };
  const driver = err.driverError ?? err;
  return { message: err.message, code: driver.code, constraint: driver.constraint, query: err.query, stack: err.stack };
}

/**
 * What a database failure means for the client, or undefined when it is a bug. Unique violations
 * become ALREADY_EXISTS; a database that cannot be reached becomes UNAVAILABLE.
 */
export function classifyDatabaseError(error: unknown): DomainError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const err = ((error as DriverError).driverError ?? error) as DriverError;
  const code = err.code ?? '';
  if (code === '23505') {
    return new AlreadyExistsError(constraintMessages.get(err.constraint ?? '') ?? 'the resource already exists');
  }
  if (code === '23503' || code === '23001') {
    return new FailedPreconditionError(
      constraintMessages.get(err.constraint ?? '') ?? 'a related resource was changed at the same time',
    );
  }
  if (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin shutdown
    code === '57P02' || // crash shutdown
    code === '57P03' || // cannot connect now
    code === '57014' || // query canceled: the statement timeout (the server's pool sets it)
    CONNECTION_MESSAGES.some((m) => err.message?.includes(m))
  ) {
    return new UnavailableError('the database cannot be reached; try again later');
  }
  return undefined;
}
