import { AlreadyExistsError, DomainError, UnavailableError } from '../errors/domain-error';

/** Messages for unique constraints, by constraint name; modules register theirs at load time. */
const uniqueMessages = new Map<string, string>();

export function describeUniqueConstraint(constraint: string, message: string): void {
  uniqueMessages.set(constraint, message);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
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

/**
 * What a database failure means for the client, or undefined when it is a bug. Unique violations
 * become ALREADY_EXISTS; a database that cannot be reached becomes UNAVAILABLE.
 */
export function classifyDatabaseError(error: unknown): DomainError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const err = ((error as DriverError).driverError ?? error) as DriverError;
  const code = err.code ?? '';
  if (code === '23505') {
    return new AlreadyExistsError(uniqueMessages.get(err.constraint ?? '') ?? 'the resource already exists');
  }
  if (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin shutdown
    code === '57P02' || // crash shutdown
    code === '57P03' || // cannot connect now
    CONNECTION_MESSAGES.some((m) => err.message?.includes(m))
  ) {
    return new UnavailableError('the database cannot be reached; try again later');
  }
  return undefined;
}
