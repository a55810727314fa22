import type { DataSource } from 'typeorm';
import { AccessDenied, LoginFailed, RequestFailed } from '../../../src/modules/operation-log/security.events';
import { UUID } from '../envelope';
import type { HttpOutcome } from './raw-http';
import type { RequestPlan } from './request-plan';

/** The only statuses a client may ever see, with the `error.status` each allows (API.md §1.1). */
const STATUSES: Record<number, string[]> = {
  200: [],
  400: ['INVALID_ARGUMENT', 'ALREADY_EXISTS', 'FAILED_PRECONDITION', 'LIMIT_EXCEEDED'],
  401: ['UNAUTHENTICATED'],
  403: ['PERMISSION_DENIED'],
  404: ['NOT_FOUND'],
  413: ['PAYLOAD_TOO_LARGE'],
  429: ['RESOURCE_EXHAUSTED'],
};

/** What is wrong with one answer, if anything: status, envelope, request id, accepted non-JSON bodies. */
export function responseViolations(plan: RequestPlan, outcome: Extract<HttpOutcome, { kind: 'response' }>): string[] {
  const { status, headers } = outcome;
  const violations: string[] = [];
  if (!(status in STATUSES)) violations.push(`status ${status} is not one of ${Object.keys(STATUSES).join(', ')}`);
  const headerId = headers['x-request-id'];
  const sentId = plan.headers.findLast(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  if (typeof sentId === 'string' && UUID.test(sentId) && headerId !== sentId)
    violations.push(`X-Request-Id ${String(headerId)} is not the one sent (${sentId})`);
  if (String(headers['content-type']).startsWith('text/event-stream')) {
    if (status !== 200) violations.push(`an event stream with status ${status}`);
    if (!UUID.test(String(headerId))) violations.push(`X-Request-Id ${String(headerId)} is not a UUID`);
    return violations;
  }
  if (!/^application\/json(;|$)/.test(String(headers['content-type'])))
    violations.push(`Content-Type is ${String(headers['content-type'])}`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return [...violations, `the body is not JSON: ${JSON.stringify(outcome.text.slice(0, 200))}`];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [...violations, 'the body is not an envelope object'];
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'requestId,result' && keys !== 'error,requestId')
    violations.push(`envelope keys are ${keys}, not requestId and exactly one of result/error`);
  if (typeof body.requestId !== 'string' || !UUID.test(body.requestId))
    violations.push(`requestId ${JSON.stringify(body.requestId)} is not a UUID`);
  if (body.requestId !== headerId)
    violations.push(`requestId ${String(body.requestId)} differs from X-Request-Id ${String(headerId)}`);
  const error = body.error as { code?: unknown; status?: unknown; message?: unknown } | undefined;
  if (status === 200 && 'error' in body) violations.push('status 200 with an error');
  if (status !== 200 && error) {
    if (Object.keys(error).sort().join(',') !== 'code,message,status')
      violations.push(`error keys are ${Object.keys(error).join(',')}`);
    if (error.code !== status) violations.push(`error.code ${String(error.code)} is not the HTTP status ${status}`);
    if (status in STATUSES && !STATUSES[status].includes(String(error.status)))
      violations.push(`error.status ${String(error.status)} does not go with HTTP ${status}`);
    if (typeof error.message !== 'string') violations.push('error.message is not a string');
  } else if (status !== 200) violations.push(`status ${status} without an error`);
  if (status === 200 && acceptedForeignBody(plan))
    violations.push(`a body sent as ${plan.contentType ?? '(no Content-Type)'} was accepted`);
  return violations;
}

/**
 * A body that is not JSON by its media type, on an operation that takes a JSON body: anything but
 * `application/json` and the `+json` suffix types (RFC 6839), parameters aside.
 */
function acceptedForeignBody(plan: RequestPlan): boolean {
  if (!plan.operation.body || plan.body === undefined) return false;
  const mediaType = (plan.contentType ?? '').split(';')[0].trim();
  return !/^application\/(?:[\w.+-]+\+)?json$/i.test(mediaType);
}

/**
 * Events a rejected request may append: a failed login, a denied request, a failed change by a
 * signed-in user (they feed the operation log).
 */
const SECURITY_EVENTS = [LoginFailed.name, AccessDenied.name, RequestFailed.name];
/**
 * Tables that are not state: the logs (which rejected requests may grow), bookkeeping, and the
 * failed-login counters (a rejected login's very purpose is to count there).
 */
const NOT_STATE = new Set(['event_log', 'operation_log', 'event_subscriptions', 'schema_migrations', 'login_throttle']);
/** Rows that can vanish on their own (the sweeper deletes revoked and expired tokens). */
const ROWS_OF: Record<string, string> = { tokens: 'revoked_at IS NULL' };

export interface StateSnapshot {
  tables: Record<string, string>;
  /**
   * The database's snapshot the digests were taken in (`pg_current_snapshot()`): the events
   * committed since are those it does not see. Not the highest position: a transaction takes its
   * positions when it appends and may commit after a higher one was read.
   */
  snapshot: string;
}

/**
 * A cheap fingerprint of the state (an md5 per state table over its ordered rows) and the end of
 * the event log: a rejected request must leave the one unchanged and append only security events.
 */
export class StateWatch {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly sql: string,
  ) {}

  static async of(dataSource: DataSource): Promise<StateWatch> {
    const rows: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables = rows.map((r) => r.table_name).filter((t) => !NOT_STATE.has(t));
    const digests = tables.map(
      (t) =>
        `(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM "${t}" r${ROWS_OF[t] ? ` WHERE ${ROWS_OF[t]}` : ''}) AS "${t}"`,
    );
    return new StateWatch(dataSource, `SELECT ${[...digests, 'pg_current_snapshot()::text AS snapshot'].join(', ')}`);
  }

  async snapshot(): Promise<StateSnapshot> {
    const [{ snapshot, ...tables }] = await this.dataSource.query(this.sql);
    return { tables, snapshot };
  }

  /** What changed since `before` that a rejected request may not change; and the snapshot now. */
  async rejectedChanges(before: StateSnapshot): Promise<{ violations: string[]; now: StateSnapshot }> {
    const now = await this.snapshot();
    const appended: { type: string; reaction: boolean }[] =
      now.snapshot === before.snapshot
        ? []
        : await this.dataSource.query(
            `SELECT type, metadata ? 'causation_consumer' AS reaction FROM event_log
              WHERE transaction_id >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(transaction_id, $1::pg_snapshot)
              ORDER BY transaction_id, position`,
            [before.snapshot],
          );
    const others = appended.filter((e) => !SECURITY_EVENTS.includes(e.type));
    // A durable consumer's reaction to an earlier success (e.g. unregistering a deleted cluster's
    // specs) commits whenever it runs, its state and its events together: it is not this request's.
    if (others.length > 0 && others.every((e) => e.reaction)) return { violations: [], now };
    const violations = Object.keys(now.tables)
      .filter((t) => now.tables[t] !== before.tables[t])
      .map((t) => `a rejected request changed table ${t}`);
    if (others.length) violations.push(`a rejected request appended ${others.map((e) => e.type).join(', ')}`);
    return { violations, now };
  }
}
